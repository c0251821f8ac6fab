namespace OpenConduct.Lucene;

/// <summary>
/// The distinct name words of one generation (the terms of the <c>w</c> field) in a trie, for the fuzzy expansion of a
/// query word: a depth-first walk carrying a row of the optimal-string-alignment distance, pruned as soon as every cell
/// of the row exceeds the allowed edits. It returns exactly the words within the distance; Lucene then finds their
/// documents. (Lucene 4.8's <c>FuzzyQuery</c> builds a Levenshtein automaton for every distance up to the maximum on
/// each query, about 1 ms per word at 2 edits: too slow for type-ahead.)
/// </summary>
internal sealed class NameWordTrie
{
    // Node i: its children are labels[first[i]..first[i+1]) (code points, ascending) leading to nodes children[...].
    private readonly int[] first;
    private readonly int[] labels;
    private readonly int[] children;
    private readonly string?[] words;

    private NameWordTrie(int[] first, int[] labels, int[] children, string?[] words)
    {
        this.first = first;
        this.labels = labels;
        this.children = children;
        this.words = words;
    }

    public int Count { get; private init; }

    /// <summary>A trie of <paramref name="terms"/> (any order, duplicates ignored).</summary>
    public static NameWordTrie Build(IEnumerable<string> terms)
    {
        // Build with dictionaries, then flatten breadth-first into arrays (children sorted by code point).
        var root = new BuildNode();
        var count = 0;
        foreach (var term in terms)
        {
            var node = root;
            foreach (var rune in term.EnumerateRunes())
            {
                node.Children ??= [];
                if (!node.Children.TryGetValue(rune.Value, out var child))
                {
                    child = new BuildNode();
                    node.Children.Add(rune.Value, child);
                }

                node = child;
            }

            if (node.Word is null)
            {
                node.Word = term;
                count++;
            }
        }

        var order = new List<BuildNode> { root };
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i].Children is { } c)
            {
                foreach (var key in c.Keys.Order())
                {
                    order.Add(c[key]);
                }
            }
        }

        var index = new Dictionary<BuildNode, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < order.Count; i++)
        {
            index[order[i]] = i;
        }

        var first = new int[order.Count + 1];
        var labels = new int[order.Count - 1];
        var children = new int[order.Count - 1];
        var words = new string?[order.Count];
        var edge = 0;
        for (var i = 0; i < order.Count; i++)
        {
            first[i] = edge;
            words[i] = order[i].Word;
            if (order[i].Children is { } c)
            {
                foreach (var key in c.Keys.Order())
                {
                    labels[edge] = key;
                    children[edge] = index[c[key]];
                    edge++;
                }
            }
        }

        first[order.Count] = edge;
        return new NameWordTrie(first, labels, children, words) { Count = count };
    }

    /// <summary>Every word within <paramref name="maxEdits"/> edits (optimal string alignment, code points) of <paramref name="query"/>.</summary>
    public List<string> Within(string query, int maxEdits)
    {
        var q = query.EnumerateRunes().Select(r => r.Value).ToArray();
        var found = new List<string>();
        var width = q.Length + 1;

        // rows[d] is the distance row after d characters of the path; paths are at most q.Length + maxEdits long.
        var rows = new int[q.Length + maxEdits + 2][];
        for (var d = 0; d < rows.Length; d++)
        {
            rows[d] = new int[width];
        }

        for (var j = 0; j < width; j++)
        {
            rows[0][j] = j;
        }

        var path = new int[rows.Length];
        Walk(0, 0, q, maxEdits, rows, path, found);
        return found;
    }

    private void Walk(int node, int depth, int[] q, int maxEdits, int[][] rows, int[] path, List<string> found)
    {
        if (words[node] is { } word && rows[depth][q.Length] <= maxEdits)
        {
            found.Add(word);
        }

        if (depth + 1 >= rows.Length)
        {
            return;
        }

        var previous = rows[depth];
        var row = rows[depth + 1];
        for (var e = first[node]; e < first[node + 1]; e++)
        {
            var c = labels[e];
            path[depth] = c;
            row[0] = depth + 1;
            var best = row[0];
            for (var j = 1; j < row.Length; j++)
            {
                var d = Math.Min(Math.Min(previous[j] + 1, row[j - 1] + 1), previous[j - 1] + (q[j - 1] == c ? 0 : 1));
                if (depth > 0 && j > 1 && q[j - 1] == path[depth - 1] && q[j - 2] == c)
                {
                    d = Math.Min(d, rows[depth - 1][j - 2] + 1);
                }

                row[j] = d;
                best = Math.Min(best, d);
            }

            // No extension of this path can come back within the distance (the rows never decrease by more than the
            // diagonal allows): prune.
            if (best <= maxEdits)
            {
                Walk(children[e], depth + 1, q, maxEdits, rows, path, found);
            }
        }
    }

    private sealed class BuildNode
    {
        public Dictionary<int, BuildNode>? Children { get; set; }

        public string? Word { get; set; }
    }
}
