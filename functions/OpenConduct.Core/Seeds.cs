namespace OpenConduct.Core;

/// <summary>Deterministic seeds for <see cref="Random"/> (whose seeded algorithm is stable across .NET versions).</summary>
public static class Seeds
{
    /// <summary>SplitMix64's finaliser over two values: well mixed, and the same in every process (unlike <see cref="HashCode"/>).</summary>
    public static ulong Mix(int a, int b)
    {
        var x = ((ulong)(uint)a << 32) | (uint)b;
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        x ^= x >> 33;
        return x;
    }

    /// <summary>A non-negative <see cref="int"/> seed from two values.</summary>
    public static int For(int a, int b) => (int)(Mix(a, b) & 0x7fffffff);
}
