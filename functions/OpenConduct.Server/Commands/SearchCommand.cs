using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OpenConduct.Core.Officers;
using OpenConduct.Lucene;

namespace OpenConduct.Server.Commands;

/// <summary><c>search "text"</c>: queries the embedded officer index as the public search does; <c>--id</c> prints one officer's document.</summary>
internal static class SearchCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var text = new Argument<string>("text") { Description = "A name (whole or partial, typos tolerated) or a badge number; or, with --id, an officer id." };
        var index = HostSettings.IndexOption();
        var take = new Option<int>("--take") { Description = "How many officers to list (at most 50).", DefaultValueFactory = _ => 10 };
        var id = new Option<bool>("--id") { Description = "Print the document of the officer with this id (JSON)." };
        var command = new Command("search", "Search the officer index (built by ingest) by name or badge, or print one officer's history.") { text, index, take, id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = parse.GetValue(index)!;
            if (!File.Exists(Path.Combine(folder.FullName, LuceneOfficerIndex.PointerFileName)))
            {
                Console.WriteLine($"search: no officer index in {folder.FullName} (ingest builds it)");
                return 2;
            }

            using var officers = new LuceneOfficerIndex(folder.FullName);
            if (parse.GetValue(id))
            {
                var document = await officers.GetAsync(parse.GetValue(text)!, cancellationToken).ConfigureAwait(false);
                Console.WriteLine(document is null ? $"search: no officer '{parse.GetValue(text)}'" : JsonSerializer.Serialize(document, Json));
                return document is null ? 1 : 0;
            }

            var result = await officers.SearchAsync(new OfficerQuery { Text = parse.GetValue(text)!, Take = parse.GetValue(take) }, cancellationToken).ConfigureAwait(false);
            var generation = await officers.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Total:N0} officer(s) match (generation {generation})"));
            foreach (var hit in result.Hits)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {hit.Id}  {hit.Match,-9}  {hit.DisplayName,-32} badge {hit.CurrentBadge ?? "-",-8} {hit.Complaints,4} complaint(s)  {hit.Rank} {hit.Unit}"));
            }

            return 0;
        });
        return command;
    }
}
