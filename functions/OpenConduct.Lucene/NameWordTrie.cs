namespace OpenConduct.Lucene;

/// <summary>
/// The distinct name words of one generation in a trie, for the fuzzy expansion of a query word: a depth-first walk
/// carrying a row of the optimal-string-alignment distance, pruned as soon as every cell of the row exceeds the allowed
/// edits, or when every word below the node is too short or too long to come within them. It returns exactly the words
/// within the distance, as their indexes in the list the trie was built from. (Lucene 4.8's <c>FuzzyQuery</c> builds a
/// Levenshtein automaton for every distance up to the maximum on each query, about 1 ms per word at 2 edits: too slow
/// for type-ahead.)
/// </summary>
internal sealed class NameWordTrie
{
    // Node i: its children are labels[first[i]..first[i+1]) (code points, ascending) leading to nodes children[...];
    // word[i] is the index of the word ending there (-1: none); shortest[i] and longest[i] are the fewest and the most
    // code points of a word ending at or below node i, counted from the root.
    private readonly int[] first;
    private readonly int[] labels;
    private readonly int[] children;
    private readonly int[] word;
    private readonly int[] shortest;
    private readonly int[] longest;

    [ThreadStatic]
    private static int[]? scratch;

    private NameWordTrie(int[] first, int[] labels, int[] children, int[] word, int[] shortest, int[] longest)
    {
        this.first = first;
        this.labels = labels;
        this.children = children;
        this.word = word;
        this.shortest = shortest;
        this.longest = longest;
    }

    /// <summary>The number of distinct words.</summary>
    public int Count { get; private init; }

    /// <summary>A trie of <paramref name="terms"/>; a word's index is its position in the list (a repeated word keeps its first).</summary>
    public static NameWordTrie Build(IReadOnlyList<string> terms)
    {
        // Build with dictionaries, then flatten breadth-first into arrays (children sorted by code point).
        var root = new BuildNode(0);
        var count = 0;
        for (var t = 0; t < terms.Count; t++)
        {
            var node = root;
            foreach (var rune in terms[t].EnumerateRunes())
            {
                node.Children ??= [];
                if (!node.Children.TryGetValue(rune.Value, out var child))
                {
                    child = new BuildNode(node.Depth + 1);
                    node.Children.Add(rune.Value, child);
                }

                node = child;
            }

            if (node.Word < 0)
            {
                node.Word = t;
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
        var words = new int[order.Count];
        var shortest = new int[order.Count];
        var longest = new int[order.Count];
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

        // Children come after their parent in breadth-first order: fill the length bounds bottom up.
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var low = words[i] >= 0 ? order[i].Depth : int.MaxValue;
            var high = words[i] >= 0 ? order[i].Depth : 0;
            for (var e = first[i]; e < first[i + 1]; e++)
            {
                low = Math.Min(low, shortest[children[e]]);
                high = Math.Max(high, longest[children[e]]);
            }

            shortest[i] = low;
            longest[i] = high;
        }

        return new NameWordTrie(first, labels, children, words, shortest, longest) { Count = count };
    }

    /// <summary>
    /// Adds to <paramref name="found"/> the index of every word within <paramref name="maxEdits"/> edits (optimal string
    /// alignment, code points) of <paramref name="query"/>.
    /// </summary>
    public void Within(string query, int maxEdits, List<int> found)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(found);
        if (Count == 0)
        {
            return;
        }

        // One buffer per thread: the query's code points, the path walked so far, and the distance rows, one per depth
        // (rows[d] after d characters of the path; paths are at most the query's length + maxEdits long).
        var length = OpenConduct.Core.Officers.OfficerSearchRules.CodePointCount(query);
        var width = length + 1;
        var depths = length + maxEdits + 2;
        var needed = length + depths + (depths * width);
        var buffer = scratch;
        if (buffer is null || buffer.Length < needed)
        {
            scratch = buffer = new int[Math.Max(needed, 256)];
        }

        var q = buffer.AsSpan(0, length);
        var n = 0;
        foreach (var rune in query.EnumerateRunes())
        {
            q[n++] = rune.Value;
        }

        var walk = new Walker(this, buffer, length, maxEdits, depths, found);
        for (var j = 0; j < width; j++)
        {
            walk.Row(0)[j] = j;
        }

        walk.Visit(0, 0);
    }

    /// <summary>The state of one walk over the trie (the buffers are the calling thread's).</summary>
    private readonly ref struct Walker(NameWordTrie trie, int[] buffer, int length, int maxEdits, int depths, List<int> found)
    {
        private readonly int width = length + 1;

        public Span<int> Row(int depth) => buffer.AsSpan(length + depths + (depth * width), width);

        private Span<int> Query => buffer.AsSpan(0, length);

        private Span<int> Path => buffer.AsSpan(length, depths);

        public void Visit(int node, int depth)
        {
            // A word ending here is within the distance only if its length is (cells further than maxEdits from the
            // diagonal are not computed: they always exceed it).
            if (trie.word[node] >= 0 && Math.Abs(depth - length) <= maxEdits && Row(depth)[length] <= maxEdits)
            {
                found.Add(trie.word[node]);
            }

            if (depth + 1 >= depths)
            {
                return;
            }

            var q = Query;
            var path = Path;
            var previous = Row(depth);
            var row = Row(depth + 1);
            var before = depth > 0 ? Row(depth - 1) : default;

            // Ukkonen's band: only the cells j with |i - j| <= maxEdits of row i = depth + 1 can be within the distance;
            // the cells just outside it read as maxEdits + 1, which leaves every value up to maxEdits exact.
            var i = depth + 1;
            var low = Math.Max(1, i - maxEdits);
            var high = Math.Min(length, i + maxEdits);
            var outside = maxEdits + 1;
            for (var e = trie.first[node]; e < trie.first[node + 1]; e++)
            {
                // Every word below is more than maxEdits code points shorter or longer than the query: none can match.
                var child = trie.children[e];
                if (trie.longest[child] < length - maxEdits || trie.shortest[child] > length + maxEdits)
                {
                    continue;
                }

                var c = trie.labels[e];
                path[depth] = c;
                row[0] = i;
                if (low > 1)
                {
                    row[low - 1] = outside;
                }

                var best = low == 1 ? i : outside;
                for (var j = low; j <= high; j++)
                {
                    var d = Math.Min(Math.Min(previous[j] + 1, row[j - 1] + 1), previous[j - 1] + (q[j - 1] == c ? 0 : 1));
                    if (depth > 0 && j > 1 && q[j - 1] == path[depth - 1] && q[j - 2] == c)
                    {
                        d = Math.Min(d, before[j - 2] + 1);
                    }

                    row[j] = d;
                    best = Math.Min(best, d);
                }

                if (high < length)
                {
                    row[high + 1] = outside;
                }

                // No extension of this path can come back within the distance (the rows never decrease by more than the
                // diagonal allows): prune.
                if (best <= maxEdits)
                {
                    Visit(child, depth + 1);
                }
            }
        }
    }

    private sealed class BuildNode(int depth)
    {
        public int Depth { get; } = depth;

        public Dictionary<int, BuildNode>? Children { get; set; }

        public int Word { get; set; } = -1;
    }
}
