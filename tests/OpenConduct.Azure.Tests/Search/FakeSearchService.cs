using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using OpenConduct.Azure.Search;

namespace OpenConduct.Azure.Tests.Search;

/// <summary>
/// An in-memory stand-in for one Azure AI Search service, behind a <see cref="RecordingTransport"/>: the REST
/// operations the adapter uses (create or update index, delete index, lookup, index documents, search) answered in the
/// service's documented formats, with its limits enforced (1,000 actions and 16,000,000 bytes per indexing request,
/// 1,000 results per page, 400 for a malformed filter). Filters are evaluated for the OData subset the adapter writes
/// (<c>eq</c>, <c>ne</c>, <c>gt</c>, <c>and</c>, <c>or</c>, parentheses, <c>field/any(x: x eq '...')</c>,
/// <c>search.in</c>); anything else is a 400, so a test also proves every filter parses. Failures can be injected per
/// document action (<see cref="Fault"/>) and searchability can lag (<see cref="VisibleCount"/>).
/// </summary>
public sealed class FakeSearchService
{
    public static readonly Uri Endpoint = new("https://oc-test.search.windows.net");

    private readonly Dictionary<string, FakeIndex> indexes = new(StringComparer.Ordinal);
    private readonly object gate = new();

    public FakeSearchService()
    {
        Transport = new RecordingTransport(Handle);
    }

    public RecordingTransport Transport { get; }

    public FakeTokenCredential Credential { get; } = new();

    /// <summary>Per document action (index, key, action, attempt for that key starting at 1): a failure status and message, or null to succeed.</summary>
    public Func<string, string, string, int, (int Status, string Message)?>? Fault { get; set; }

    /// <summary>What a <c>count</c> query reports, given the true count (to simulate documents not yet searchable).</summary>
    public Func<long, long>? VisibleCount { get; set; }

    /// <summary>The index definitions as last PUT, by name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Definitions
    {
        get
        {
            lock (gate)
            {
                return indexes.Where(i => i.Value.Definition is not null).ToDictionary(i => i.Key, i => (JsonObject)i.Value.Definition!.DeepClone());
            }
        }
    }

    /// <summary>The documents of an index, by key (copies).</summary>
    public IReadOnlyDictionary<string, JsonObject> Documents(string index = "officers")
    {
        lock (gate)
        {
            return indexes.TryGetValue(index, out var i)
                ? i.Documents.ToDictionary(d => d.Key, d => (JsonObject)d.Value.DeepClone(), StringComparer.Ordinal)
                : new Dictionary<string, JsonObject>();
        }
    }

    /// <summary>Client options that send every request here, with the SDK's own retries off (the adapter's are under test).</summary>
    public SearchClientOptions ClientOptions()
    {
        var options = new SearchClientOptions { Transport = Transport };
        options.Retry.MaxRetries = 0;
        return options;
    }

    /// <summary>An index client on this service, authenticated with the fake Entra ID credential.</summary>
    public SearchIndexClient IndexClient() => new(Endpoint, Credential, ClientOptions());

    /// <summary>An adapter on this service; waits are recorded in <paramref name="delays"/> instead of slept.</summary>
    public AzureSearchOfficerIndex Adapter(Action<AzureSearchOfficerIndexOptions>? configure = null, List<TimeSpan>? delays = null, string indexName = "officers")
    {
        var suffixes = 0;
        var options = new AzureSearchOfficerIndexOptions
        {
            IndexName = indexName,
            NewBuildSuffix = () => "b" + (++suffixes).ToString(CultureInfo.InvariantCulture),
            Delay = (delay, _) =>
            {
                delays?.Add(delay);
                return Task.CompletedTask;
            },
        };
        configure?.Invoke(options);
        return new AzureSearchOfficerIndex(IndexClient(), options);
    }

    private CannedResponse Handle(RecordedRequest request)
    {
        lock (gate)
        {
            try
            {
                return Route(request);
            }
            catch (FakeServiceError e)
            {
                return Error(e.Status, e.Message);
            }
        }
    }

    private CannedResponse Route(RecordedRequest request)
    {
        var path = request.Path;
        var match = Regex.Match(path, @"^/indexes\('(?<index>[^']+)'\)(?<rest>.*)$");
        if (!match.Success)
        {
            throw new FakeServiceError(404, $"no route for {request.Method} {path}");
        }

        var name = match.Groups["index"].Value;
        var rest = match.Groups["rest"].Value;
        switch (request.Method, rest)
        {
            case ("PUT", ""):
                var definition = JsonNode.Parse(request.Body ?? "{}")!.AsObject();
                if (!indexes.TryGetValue(name, out var existing))
                {
                    indexes[name] = existing = new FakeIndex();
                }

                var created = existing.Definition is null;
                existing.Definition = definition;
                var echoed = (JsonObject)definition.DeepClone();
                echoed["@odata.etag"] = "\"0x1\"";
                return new CannedResponse(created ? 201 : 200, echoed.ToJsonString());
            case ("DELETE", ""):
                return indexes.Remove(name) ? new CannedResponse(204) : throw new FakeServiceError(404, $"no index '{name}'");
        }

        var index = indexes.TryGetValue(name, out var found) && found.Definition is not null ? found : throw new FakeServiceError(404, $"The index '{name}' was not found.");
        var lookup = Regex.Match(rest, @"^/docs\('(?<key>[^']*)'\)$");
        if (request.Method == "GET" && lookup.Success)
        {
            var key = lookup.Groups["key"].Value;
            if (!index.Documents.TryGetValue(key, out var document))
            {
                throw new FakeServiceError(404, "Document not found.");
            }

            var select = QueryParameter(request.Uri, "$select");
            return new CannedResponse(200, Project(index, document, select?.Split(',')).ToJsonString());
        }

        return (request.Method, rest) switch
        {
            ("POST", "/docs/search.index") => IndexDocuments(index, name, request),
            ("POST", "/docs/search.post.search") => Search(index, request),
            _ => throw new FakeServiceError(404, $"no route for {request.Method} {path}"),
        };
    }

    private CannedResponse IndexDocuments(FakeIndex index, string name, RecordedRequest request)
    {
        if (request.BodyBytes > AzureSearchOfficerIndexOptions.ServiceMaxBatchBytes)
        {
            throw new FakeServiceError(413, string.Create(CultureInfo.InvariantCulture, $"The request is {request.BodyBytes} bytes, over the limit."));
        }

        var actions = JsonNode.Parse(request.Body!)!["value"]!.AsArray();
        if (actions.Count > AzureSearchOfficerIndexOptions.ServiceMaxBatchDocuments)
        {
            throw new FakeServiceError(413, string.Create(CultureInfo.InvariantCulture, $"The request has {actions.Count} actions, over the limit of 1000."));
        }

        var keyField = KeyField(index);
        var results = new JsonArray();
        var anyFailed = false;
        foreach (var node in actions)
        {
            var action = node!.AsObject();
            var verb = (string)action["@search.action"]!;
            var key = (string?)action[keyField] ?? throw new FakeServiceError(400, "an action has no key");
            var attempt = index.Attempts[key] = index.Attempts.GetValueOrDefault(key) + 1;
            if (Fault?.Invoke(name, key, verb, attempt) is { } fault)
            {
                anyFailed = true;
                results.Add(new JsonObject { ["key"] = key, ["status"] = false, ["errorMessage"] = fault.Message, ["statusCode"] = fault.Status });
                continue;
            }

            int status;
            switch (verb)
            {
                case "upload":
                    var document = (JsonObject)action.DeepClone();
                    document.Remove("@search.action");
                    status = index.Documents.ContainsKey(key) ? 200 : 201;
                    index.Documents[key] = document;
                    break;
                case "delete":
                    index.Documents.Remove(key);
                    status = 200;
                    break;
                default:
                    throw new FakeServiceError(400, $"the fake does not do '{verb}'");
            }

            results.Add(new JsonObject { ["key"] = key, ["status"] = true, ["errorMessage"] = null, ["statusCode"] = status });
        }

        return new CannedResponse(anyFailed ? 207 : 200, new JsonObject { ["value"] = results }.ToJsonString());
    }

    private CannedResponse Search(FakeIndex index, RecordedRequest request)
    {
        var body = JsonNode.Parse(request.Body!)!.AsObject();
        foreach (var property in body)
        {
            if (property.Key is not ("search" or "filter" or "orderby" or "select" or "top" or "skip" or "count" or "queryType" or "searchMode"))
            {
                throw new FakeServiceError(400, $"the fake does not do '{property.Key}'");
            }
        }

        var search = (string?)body["search"];
        if (search is not ("*" or null))
        {
            throw new FakeServiceError(400, $"the fake only searches '*', not '{search}'");
        }

        var filter = (string?)body["filter"] is { } text ? FilterParser.Parse(text) : _ => true;
        var matches = index.Documents.Values.Where(filter).ToList();
        switch ((string?)body["orderby"])
        {
            case null:
                break;
            case "key asc":
                matches.Sort((a, b) => string.CompareOrdinal((string?)a["key"], (string?)b["key"]));
                break;
            case var other:
                throw new FakeServiceError(400, $"the fake does not order by '{other}'");
        }

        var top = (int?)body["top"] ?? 50;
        if (top is < 0 or > 1000)
        {
            throw new FakeServiceError(400, "top must be 0 to 1000");
        }

        var skip = (int?)body["skip"] ?? 0;
        var select = ((string?)body["select"])?.Split(',');
        var page = new JsonArray();
        foreach (var document in matches.Skip(skip).Take(top))
        {
            var hit = Project(index, document, select);
            hit.Insert(0, "@search.score", 1.0);
            page.Add(hit);
        }

        var response = new JsonObject();
        if ((bool?)body["count"] == true)
        {
            response["@odata.count"] = VisibleCount?.Invoke(matches.Count) ?? matches.Count;
        }

        response["value"] = page;
        return new CannedResponse(200, response.ToJsonString());
    }

    /// <summary>The document with the selected (or else every) retrievable field; hidden fields never come back.</summary>
    private static JsonObject Project(FakeIndex index, JsonObject document, string[]? select)
    {
        var fields = index.Definition!["fields"]!.AsArray().Select(f => f!.AsObject()).ToList();
        var names = select is { Length: > 0 } ? select : [.. fields.Select(f => (string)f["name"]!)];
        var result = new JsonObject();
        foreach (var name in names)
        {
            var field = fields.SingleOrDefault(f => (string)f["name"]! == name) ?? throw new FakeServiceError(400, $"unknown field '{name}' in $select");
            if ((bool?)field["retrievable"] == false)
            {
                continue;
            }

            result[name] = document[name]?.DeepClone();
        }

        return result;
    }

    private static string KeyField(FakeIndex index) =>
        (string)index.Definition!["fields"]!.AsArray().Single(f => (bool?)f!["key"] == true)!["name"]!;

    private static string? QueryParameter(Uri uri, string name)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (Uri.UnescapeDataString(parts[0]) == name)
            {
                return parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
            }
        }

        return null;
    }

    private static CannedResponse Error(int status, string message) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["code"] = "", ["message"] = message } }.ToJsonString());

    private sealed class FakeIndex
    {
        public JsonObject? Definition { get; set; }

        public Dictionary<string, JsonObject> Documents { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Attempts { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>A status and message the fake service answers with.</summary>
public sealed class FakeServiceError : Exception
{
    public FakeServiceError()
    {
    }

    public FakeServiceError(string message)
        : base(message)
    {
    }

    public FakeServiceError(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FakeServiceError(int status, string message)
        : base(message)
    {
        Status = status;
    }

    public int Status { get; } = 400;
}

/// <summary>
/// The OData filter subset the adapter writes, parsed strictly (anything else is a 400): comparisons
/// <c>field eq|ne|gt 'text'|null|number</c>, <c>and</c>, <c>or</c>, parentheses, and
/// <c>field/any(x: x eq 'text')</c> or <c>field/any(x: search.in(x, 'a b', ' '))</c> over string collections.
/// </summary>
public static class FilterParser
{
    public static Func<JsonObject, bool> Parse(string filter)
    {
        var tokens = Tokenize(filter);
        var position = 0;
        var expression = Or(tokens, ref position);
        if (position != tokens.Count)
        {
            throw new FakeServiceError(400, $"unexpected '{tokens[position].Text}' in filter: {filter}");
        }

        return expression;
    }

    /// <summary>The string literals of a filter, unescaped, in order.</summary>
    public static IReadOnlyList<string> Literals(string filter) =>
        [.. Tokenize(filter).Where(t => t.Kind == TokenKind.String).Select(t => t.Text)];

    /// <summary>The filter with every string literal replaced by <c>L</c>: its shape.</summary>
    public static string Shape(string filter) =>
        string.Join(" ", Tokenize(filter).Select(t => t.Kind == TokenKind.String ? "L" : t.Text));

    private static Func<JsonObject, bool> Or(List<Token> tokens, ref int position)
    {
        var left = And(tokens, ref position);
        while (position < tokens.Count && tokens[position].Is("or"))
        {
            position++;
            var right = And(tokens, ref position);
            var l = left;
            left = d => l(d) || right(d);
        }

        return left;
    }

    private static Func<JsonObject, bool> And(List<Token> tokens, ref int position)
    {
        var left = Primary(tokens, ref position);
        while (position < tokens.Count && tokens[position].Is("and"))
        {
            position++;
            var right = Primary(tokens, ref position);
            var l = left;
            left = d => l(d) && right(d);
        }

        return left;
    }

    private static Func<JsonObject, bool> Primary(List<Token> tokens, ref int position)
    {
        var token = Next(tokens, ref position);
        if (token.Is("("))
        {
            var inner = Or(tokens, ref position);
            Expect(tokens, ref position, ")");
            return inner;
        }

        if (token.Kind != TokenKind.Name)
        {
            throw new FakeServiceError(400, $"expected a field, found '{token.Text}'");
        }

        if (token.Text.EndsWith("/any", StringComparison.Ordinal))
        {
            var field = token.Text[..^4];
            Expect(tokens, ref position, "(");
            var variable = Next(tokens, ref position);
            Expect(tokens, ref position, ":");
            Func<string, bool> test;
            if (tokens[position].Is("search.in"))
            {
                position++;
                Expect(tokens, ref position, "(");
                Expect(tokens, ref position, variable.Text);
                Expect(tokens, ref position, ",");
                var values = Literal(tokens, ref position);
                Expect(tokens, ref position, ",");
                var delimiters = Literal(tokens, ref position).ToCharArray();
                Expect(tokens, ref position, ")");
                var set = values.Split(delimiters, StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                test = set.Contains;
            }
            else
            {
                Expect(tokens, ref position, variable.Text);
                Expect(tokens, ref position, "eq");
                var value = Literal(tokens, ref position);
                test = v => string.Equals(v, value, StringComparison.Ordinal);
            }

            Expect(tokens, ref position, ")");
            return d => d[field] is JsonArray array && array.Any(v => v is not null && test((string)v!));
        }

        var name = token.Text;
        var op = Next(tokens, ref position);
        var operand = Next(tokens, ref position);
        string? literal = operand.Kind switch
        {
            TokenKind.String => operand.Text,
            TokenKind.Name when operand.Text == "null" => null,
            _ => throw new FakeServiceError(400, $"expected a literal, found '{operand.Text}'"),
        };
        return op.Text switch
        {
            "eq" => d => string.Equals(Text(d, name), literal, StringComparison.Ordinal),
            "ne" => d => !string.Equals(Text(d, name), literal, StringComparison.Ordinal),
            "gt" when literal is not null => d => Text(d, name) is { } v && string.CompareOrdinal(v, literal) > 0,
            _ => throw new FakeServiceError(400, $"the fake does not do '{op.Text}' with this operand"),
        };
    }

    private static string? Text(JsonObject document, string field) => document[field] is JsonValue value ? value.ToString() : null;

    private static string Literal(List<Token> tokens, ref int position)
    {
        var token = Next(tokens, ref position);
        return token.Kind == TokenKind.String ? token.Text : throw new FakeServiceError(400, $"expected a string, found '{token.Text}'");
    }

    private static void Expect(List<Token> tokens, ref int position, string text)
    {
        var token = Next(tokens, ref position);
        if (token.Kind == TokenKind.String || token.Text != text)
        {
            throw new FakeServiceError(400, $"expected '{text}', found '{token.Text}'");
        }
    }

    private static Token Next(List<Token> tokens, ref int position) =>
        position < tokens.Count ? tokens[position++] : throw new FakeServiceError(400, "the filter ends early");

    private static List<Token> Tokenize(string filter)
    {
        var tokens = new List<Token>();
        for (var i = 0; i < filter.Length;)
        {
            var c = filter[i];
            if (c == ' ')
            {
                i++;
            }
            else if (c == '\'')
            {
                var text = new StringBuilder();
                for (i++; ; i++)
                {
                    if (i >= filter.Length)
                    {
                        throw new FakeServiceError(400, "unterminated string in filter");
                    }

                    if (filter[i] == '\'')
                    {
                        if (i + 1 < filter.Length && filter[i + 1] == '\'')
                        {
                            text.Append('\'');
                            i++;
                            continue;
                        }

                        i++;
                        break;
                    }

                    text.Append(filter[i]);
                }

                tokens.Add(new Token(TokenKind.String, text.ToString()));
            }
            else if (c is '(' or ')' or ',' or ':')
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString()));
                i++;
            }
            else if (char.IsAsciiLetter(c))
            {
                var start = i;
                while (i < filter.Length && (char.IsAsciiLetterOrDigit(filter[i]) || filter[i] is '_' or '/' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, filter[start..i]));
            }
            else
            {
                throw new FakeServiceError(400, $"unexpected character '{c}' in filter");
            }
        }

        return tokens;
    }

    private enum TokenKind
    {
        Name,
        String,
        Symbol,
    }

    private sealed record Token(TokenKind Kind, string Text)
    {
        public bool Is(string text) => Kind != TokenKind.String && Text == text;
    }
}

/// <summary>JSON helpers for request bodies.</summary>
public static class Bodies
{
    public static JsonObject Json(RecordedRequest request) => JsonNode.Parse(request.Body ?? throw new InvalidOperationException($"{request} has no body"))!.AsObject();

    /// <summary>The (action, key) pairs of an indexing request.</summary>
    public static IReadOnlyList<(string Action, string Key)> Actions(RecordedRequest request) =>
        [.. Json(request)["value"]!.AsArray().Select(a => ((string)a!["@search.action"]!, (string)a["key"]!))];

    public static string Pretty(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
