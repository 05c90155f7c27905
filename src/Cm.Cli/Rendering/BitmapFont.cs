using System.Collections.Frozen;

namespace Cm.Cli.Rendering;

/// <summary>
/// A 3×5 pixel font for tile labels (digits, letters, a little punctuation), so labels need no font
/// files and no native text rendering: the same bytes on every machine. Lower case draws as upper case;
/// anything else draws as '?'.
/// </summary>
public static class BitmapFont
{
    /// <summary>Glyph width in font pixels.</summary>
    public const int GlyphWidth = 3;

    /// <summary>Glyph height in font pixels.</summary>
    public const int GlyphHeight = 5;

    /// <summary>Horizontal distance between the starts of two glyphs.</summary>
    public const int Advance = GlyphWidth + 1;

    // Each glyph: five rows of three cells, top to bottom, 'X' = ink.
    private static readonly FrozenDictionary<char, string> Glyphs = new Dictionary<char, string>
    {
        ['0'] = "XXX X.X X.X X.X XXX", ['1'] = ".X. XX. .X. .X. XXX", ['2'] = "XXX ..X XXX X.. XXX",
        ['3'] = "XXX ..X .XX ..X XXX", ['4'] = "X.X X.X XXX ..X ..X", ['5'] = "XXX X.. XXX ..X XXX",
        ['6'] = "XXX X.. XXX X.X XXX", ['7'] = "XXX ..X ..X .X. .X.", ['8'] = "XXX X.X XXX X.X XXX",
        ['9'] = "XXX X.X XXX ..X XXX",
        ['A'] = ".X. X.X XXX X.X X.X", ['B'] = "XX. X.X XX. X.X XX.", ['C'] = ".XX X.. X.. X.. .XX",
        ['D'] = "XX. X.X X.X X.X XX.", ['E'] = "XXX X.. XX. X.. XXX", ['F'] = "XXX X.. XX. X.. X..",
        ['G'] = ".XX X.. X.X X.X .XX", ['H'] = "X.X X.X XXX X.X X.X", ['I'] = "XXX .X. .X. .X. XXX",
        ['J'] = "..X ..X ..X X.X .X.", ['K'] = "X.X X.X XX. X.X X.X", ['L'] = "X.. X.. X.. X.. XXX",
        ['M'] = "X.X XXX XXX X.X X.X", ['N'] = "XX. X.X X.X X.X X.X", ['O'] = ".X. X.X X.X X.X .X.",
        ['P'] = "XX. X.X XX. X.. X..", ['Q'] = ".X. X.X X.X XX. .XX", ['R'] = "XX. X.X XX. X.X X.X",
        ['S'] = ".XX X.. .X. ..X XX.", ['T'] = "XXX .X. .X. .X. .X.", ['U'] = "X.X X.X X.X X.X XXX",
        ['V'] = "X.X X.X X.X X.X .X.", ['W'] = "X.X X.X XXX XXX X.X", ['X'] = "X.X X.X .X. X.X X.X",
        ['Y'] = "X.X X.X .X. .X. .X.", ['Z'] = "XXX ..X .X. X.. XXX",
        [' '] = "... ... ... ... ...", [':'] = "... .X. ... .X. ...", ['='] = "... XXX ... XXX ...",
        ['-'] = "... ... XXX ... ...", ['.'] = "... ... ... ... .X.", [','] = "... ... ... .X. X..",
        ['#'] = "X.X XXX X.X XXX X.X", ['/'] = "..X ..X .X. X.. X..", ['_'] = "... ... ... ... XXX",
        ['('] = ".X. X.. X.. X.. .X.", [')'] = ".X. ..X ..X ..X .X.", ['+'] = "... .X. XXX .X. ...",
        ['?'] = "XXX ..X .X. ... .X.",
    }.ToFrozenDictionary();

    /// <summary>Whether cell (x, y) of <paramref name="c"/>'s glyph is ink.</summary>
    public static bool Ink(char c, int x, int y)
    {
        var glyph = Glyphs.TryGetValue(char.ToUpperInvariant(c), out var g) ? g : Glyphs['?'];
        return glyph[y * (GlyphWidth + 1) + x] == 'X';
    }

    /// <summary>Width in font pixels of <paramref name="text"/> (no trailing gap).</summary>
    public static int Width(string text) => text.Length == 0 ? 0 : text.Length * Advance - 1;
}
