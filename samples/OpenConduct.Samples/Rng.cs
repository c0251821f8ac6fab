namespace OpenConduct.Samples;

/// <summary>Helpers over <see cref="Random"/> seeded with an int (the seeded algorithm is stable across .NET versions).</summary>
internal static class Rng
{
    /// <summary>A well-mixed non-negative seed from two values (SplitMix64 finaliser).</summary>
    public static int Mix(int a, int b)
    {
        var x = ((ulong)(uint)a << 32) | (uint)b;
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        x ^= x >> 33;
        return (int)(x & 0x7fffffff);
    }

    public static Random For(int seed, int salt) => new(Mix(seed, salt));

    public static bool Chance(this Random random, double p) => random.NextDouble() < p;

    public static T Pick<T>(this Random random, T[] items) => items[random.Next(items.Length)];

    /// <summary>An index drawn with the given weights (which need not sum to 1).</summary>
    public static int Weighted(this Random random, double[] weights)
    {
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }

        var u = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    public static DateOnly Between(this Random random, DateOnly from, DateOnly to) =>
        from.AddDays(random.Next(to.DayNumber - from.DayNumber + 1));
}
