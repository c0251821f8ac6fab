using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace OpenConduct.Samples;

/// <summary>The kind of a worksheet cell.</summary>
internal enum CellKind
{
    Empty,
    Text,
    Number,

    /// <summary>A number (Excel's serial day) shown with a date format.</summary>
    Date,
}

/// <summary>One cell of a worksheet.</summary>
internal readonly record struct SheetCell(CellKind Kind, string? Text = null, double Number = 0)
{
    /// <summary>Excel's day 0 in the 1900 date system (serial 60 is the phantom 29 February 1900, so day 1 is 31 December 1899 here).</summary>
    private static readonly int Epoch = new DateOnly(1899, 12, 30).DayNumber;

    public static SheetCell Of(string? text) => string.IsNullOrEmpty(text) ? default : new(CellKind.Text, text);

    public static SheetCell Of(double? number) => number is { } n ? new(CellKind.Number, null, n) : default;

    public static SheetCell Of(DateOnly? date) => date is { } d ? new(CellKind.Date, null, d.DayNumber - Epoch) : default;
}

/// <summary>A worksheet: its name and its rows from row 1; a null row is an empty row (formatted, no value).</summary>
internal sealed class Sheet(string name)
{
    public string Name { get; } = name;

    public List<SheetCell[]?> Rows { get; } = [];
}

/// <summary>
/// Writes a workbook as Office Open XML (.xlsx): the parts Excel writes for a plain workbook (content types,
/// relationships, workbook, styles with a date format, shared strings, one part per sheet), in a ZIP written here
/// byte by byte with every entry stored and a fixed timestamp, so that the same sheets always give the same bytes on
/// every machine (ZipArchive's Deflate output may change with the runtime's zlib, and it records the platform).
/// </summary>
internal static class XlsxWriter
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    public static void Write(string path, IReadOnlyList<Sheet> sheets)
    {
        var strings = new SharedStrings();
        var parts = new List<(string Name, string Xml)>();
        for (var i = 0; i < sheets.Count; i++)
        {
            parts.Add(($"xl/worksheets/sheet{i + 1}.xml", SheetXml(sheets[i], strings)));
        }

        var types = new StringBuilder();
        types.Append("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
            .Append("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
            .Append("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
            .Append("<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>");
        for (var i = 0; i < sheets.Count; i++)
        {
            types.Append(CultureInfo.InvariantCulture, $"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
        }

        types.Append("<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>")
            .Append("<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>")
            .Append("</Types>");

        var workbook = new StringBuilder();
        workbook.Append(CultureInfo.InvariantCulture, $"<workbook xmlns=\"{Main}\" xmlns:r=\"{Relationships}\"><workbookPr/><bookViews><workbookView activeTab=\"{sheets.Count - 1}\"/></bookViews><sheets>");
        var workbookRels = new StringBuilder();
        workbookRels.Append(CultureInfo.InvariantCulture, $"<Relationships xmlns=\"{PackageRelationships}\">");
        for (var i = 0; i < sheets.Count; i++)
        {
            workbook.Append(CultureInfo.InvariantCulture, $"<sheet name=\"{Escape(sheets[i].Name)}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>");
            workbookRels.Append(CultureInfo.InvariantCulture, $"<Relationship Id=\"rId{i + 1}\" Type=\"{Relationships}/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>");
        }

        workbook.Append("</sheets></workbook>");
        workbookRels.Append(CultureInfo.InvariantCulture, $"<Relationship Id=\"rId{sheets.Count + 1}\" Type=\"{Relationships}/styles\" Target=\"styles.xml\"/>")
            .Append(CultureInfo.InvariantCulture, $"<Relationship Id=\"rId{sheets.Count + 2}\" Type=\"{Relationships}/sharedStrings\" Target=\"sharedStrings.xml\"/>")
            .Append("</Relationships>");

        // Style 0: general; style 1: Excel's built-in date format 14 (m/d/yyyy, shown in the reader's locale).
        const string styles =
            $"<styleSheet xmlns=\"{Main}\">" +
            "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>" +
            "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>" +
            "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>" +
            "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>" +
            "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>" +
            "<xf numFmtId=\"14\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>" +
            "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>" +
            "</styleSheet>";

        var shared = new StringBuilder();
        shared.Append(CultureInfo.InvariantCulture, $"<sst xmlns=\"{Main}\" count=\"{strings.Total}\" uniqueCount=\"{strings.Unique.Count}\">");
        foreach (var text in strings.Unique)
        {
            shared.Append("<si><t xml:space=\"preserve\">").Append(Escape(text)).Append("</t></si>");
        }

        shared.Append("</sst>");

        var zip = new StoredZip();
        zip.Add("[Content_Types].xml", Xml(types.ToString()));
        zip.Add("_rels/.rels", Xml($"<Relationships xmlns=\"{PackageRelationships}\"><Relationship Id=\"rId1\" Type=\"{Relationships}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"));
        zip.Add("xl/workbook.xml", Xml(workbook.ToString()));
        zip.Add("xl/_rels/workbook.xml.rels", Xml(workbookRels.ToString()));
        zip.Add("xl/styles.xml", Xml(styles));
        zip.Add("xl/sharedStrings.xml", Xml(shared.ToString()));
        foreach (var (name, xml) in parts)
        {
            zip.Add(name, Xml(xml));
        }

        File.WriteAllBytes(path, zip.Finish());
    }

    private static string SheetXml(Sheet sheet, SharedStrings strings)
    {
        var columns = Math.Max(1, sheet.Rows.Max(r => r?.Length ?? 0));
        var xml = new StringBuilder(64 * 1024);
        xml.Append(CultureInfo.InvariantCulture, $"<worksheet xmlns=\"{Main}\" xmlns:r=\"{Relationships}\"><dimension ref=\"A1:{Column(columns - 1)}{sheet.Rows.Count}\"/><sheetData>");
        for (var r = 0; r < sheet.Rows.Count; r++)
        {
            var row = sheet.Rows[r];
            xml.Append(CultureInfo.InvariantCulture, $"<row r=\"{r + 1}\">");
            for (var c = 0; c < (row?.Length ?? 0); c++)
            {
                var cell = row![c];
                var reference = Column(c) + (r + 1).ToString(CultureInfo.InvariantCulture);
                switch (cell.Kind)
                {
                    case CellKind.Text:
                        xml.Append(CultureInfo.InvariantCulture, $"<c r=\"{reference}\" t=\"s\"><v>{strings.Index(cell.Text!)}</v></c>");
                        break;
                    case CellKind.Number:
                        xml.Append(CultureInfo.InvariantCulture, $"<c r=\"{reference}\"><v>{cell.Number.ToString("R", CultureInfo.InvariantCulture)}</v></c>");
                        break;
                    case CellKind.Date:
                        xml.Append(CultureInfo.InvariantCulture, $"<c r=\"{reference}\" s=\"1\"><v>{cell.Number.ToString("R", CultureInfo.InvariantCulture)}</v></c>");
                        break;
                    default:
                        break;
                }
            }

            xml.Append("</row>");
        }

        xml.Append("</sheetData></worksheet>");
        return xml.ToString();
    }

    /// <summary>The column letters of a zero-based column index: A, B, ..., Z, AA, ...</summary>
    public static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static byte[] Xml(string body) =>
        Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n" + body);

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => escaped.Append("&amp;"),
                '<' => escaped.Append("&lt;"),
                '>' => escaped.Append("&gt;"),
                '"' => escaped.Append("&quot;"),
                < ' ' when c is not ('\t' or '\n' or '\r') => escaped.Append(CultureInfo.InvariantCulture, $"_x{(int)c:X4}_"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    /// <summary>The shared string table: each distinct text once, in order of first use.</summary>
    private sealed class SharedStrings
    {
        private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);

        public List<string> Unique { get; } = [];

        public int Total { get; private set; }

        public int Index(string text)
        {
            Total++;
            if (!index.TryGetValue(text, out var i))
            {
                index[text] = i = Unique.Count;
                Unique.Add(text);
            }

            return i;
        }
    }

    /// <summary>A ZIP archive of stored (uncompressed) entries, all dated 2026-11-15 00:00, written as MS-DOS made them.</summary>
    private sealed class StoredZip
    {
        private const ushort DosDate = ((2026 - 1980) << 9) | (11 << 5) | 15;
        private readonly MemoryStream output = new();
        private readonly MemoryStream directory = new();
        private int entries;

        public void Add(string name, byte[] data)
        {
            var nameBytes = Encoding.ASCII.GetBytes(name);
            var crc = Crc32.Compute(data);
            var offset = (uint)output.Position;

            Span<byte> local = stackalloc byte[30];
            BinaryPrimitives.WriteUInt32LittleEndian(local, 0x04034b50);
            BinaryPrimitives.WriteUInt16LittleEndian(local[4..], 20); // version needed: 2.0
            BinaryPrimitives.WriteUInt16LittleEndian(local[6..], 0); // flags
            BinaryPrimitives.WriteUInt16LittleEndian(local[8..], 0); // stored
            BinaryPrimitives.WriteUInt16LittleEndian(local[10..], 0); // time 00:00
            BinaryPrimitives.WriteUInt16LittleEndian(local[12..], DosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(local[14..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(local[18..], (uint)data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(local[22..], (uint)data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(local[26..], (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(local[28..], 0); // no extra field
            output.Write(local);
            output.Write(nameBytes);
            output.Write(data);

            Span<byte> central = stackalloc byte[46];
            BinaryPrimitives.WriteUInt32LittleEndian(central, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(central[4..], 20); // made by MS-DOS, 2.0
            BinaryPrimitives.WriteUInt16LittleEndian(central[6..], 20);
            BinaryPrimitives.WriteUInt16LittleEndian(central[8..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(central[10..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(central[12..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(central[14..], DosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(central[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(central[20..], (uint)data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(central[24..], (uint)data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(central[28..], (ushort)nameBytes.Length);
            // extra, comment, disk, internal and external attributes: 0
            BinaryPrimitives.WriteUInt32LittleEndian(central[42..], offset);
            directory.Write(central);
            directory.Write(nameBytes);
            entries++;
        }

        public byte[] Finish()
        {
            var start = (uint)output.Position;
            directory.Position = 0;
            directory.CopyTo(output);
            Span<byte> end = stackalloc byte[22];
            BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
            BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)entries);
            BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)entries);
            BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)directory.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(end[16..], start);
            output.Write(end);
            return output.ToArray();
        }
    }

    /// <summary>CRC-32 (IEEE 802.3), as ZIP uses it.</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
        {
            var c = (uint)n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            return c;
        }).ToArray();

        public static uint Compute(ReadOnlySpan<byte> data)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return ~crc;
        }
    }
}

/// <summary>
/// Writes a workbook in Excel 97-2003's binary format (.xls: BIFF8 records in the "Workbook" stream of an OLE2
/// compound file), as Excel lays one out for plain data: the workbook globals (code page, window, fonts, the
/// cell formats with a date format, the Normal style, one BOUNDSHEET per sheet, the shared string table with its
/// CONTINUE records) and per sheet its dimensions, window, and a LABELSST or NUMBER record per cell. Written here
/// record by record so that the bytes depend on nothing but the sheets (a library would add the user's name and
/// its own version).
/// </summary>
internal static class XlsWriter
{
    private const ushort BiffVersion = 0x0600;
    private const int MaxRecordData = 8224;

    /// <summary>The cell format (XF) index of plain cells and of date cells.</summary>
    private const ushort GeneralXf = 15;
    private const ushort DateXf = 16;

    public static void Write(string path, IReadOnlyList<Sheet> sheets)
    {
        var strings = new List<string>();
        var stringIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        foreach (var cell in sheets.SelectMany(s => s.Rows).SelectMany(r => r ?? []).Where(c => c.Kind == CellKind.Text))
        {
            total++;
            if (!stringIndex.ContainsKey(cell.Text!))
            {
                stringIndex[cell.Text!] = strings.Count;
                strings.Add(cell.Text!);
            }
        }

        var sheetStreams = sheets.Select(s => SheetStream(s, stringIndex)).ToList();

        var globals = new Biff();
        globals.Bof(0x0005);
        globals.Record(0x00E1, [0xB0, 0x04]); // INTERFACEHDR: code page 1200
        globals.Record(0x00C1, [0x00, 0x00]); // MMS
        globals.Record(0x00E2, []); // INTERFACEEND
        globals.Record(0x0042, [0xB0, 0x04]); // CODEPAGE 1200 (UTF-16)
        globals.Record(0x003D, Window1(sheets.Count - 1)); // WINDOW1, the last sheet active
        globals.Record(0x0022, [0x00, 0x00]); // DATEMODE: the 1900 date system
        for (var i = 0; i < 4; i++)
        {
            globals.Record(0x0031, Font()); // FONT 0-3 (index 4 is never used)
        }

        for (var i = 0; i < 15; i++)
        {
            globals.Record(0x00E0, Xf(0, style: true)); // the style XFs Excel writes first
        }

        globals.Record(0x00E0, Xf(0, style: false)); // XF 15: general cells
        globals.Record(0x00E0, Xf(14, style: false)); // XF 16: dates, built-in format 14 (m/d/yyyy)
        globals.Record(0x0293, [0x00, 0x80, 0x00, 0xFF]); // STYLE: Normal, built in, on XF 0

        var boundSheets = new List<int>();
        foreach (var sheet in sheets)
        {
            var name = ShortString(sheet.Name);
            var data = new byte[6 + name.Length];
            name.CopyTo(data, 6); // lbPlyPos (patched below), visible, worksheet
            boundSheets.Add(globals.Length + 4);
            globals.Record(0x0085, data);
        }

        WriteSst(globals, strings, total);
        globals.Record(0x000A, []); // EOF

        var workbook = globals.ToArray();
        var offset = workbook.Length;
        for (var i = 0; i < sheets.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(workbook.AsSpan(boundSheets[i]), (uint)offset);
            offset += sheetStreams[i].Length;
        }

        CompoundFile.Write(path, "Workbook", [.. workbook, .. sheetStreams.SelectMany(s => s)]);
    }

    private static byte[] SheetStream(Sheet sheet, Dictionary<string, int> strings)
    {
        var biff = new Biff();
        biff.Bof(0x0010);
        var columns = Math.Max(1, sheet.Rows.Max(r => r?.Length ?? 0));
        var dimensions = new byte[14];
        BinaryPrimitives.WriteUInt32LittleEndian(dimensions, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(dimensions.AsSpan(4), (uint)sheet.Rows.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(dimensions.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(dimensions.AsSpan(10), (ushort)columns);
        biff.Record(0x0200, dimensions); // DIMENSIONS

        for (var r = 0; r < sheet.Rows.Count; r++)
        {
            if (sheet.Rows[r] is not { } row)
            {
                continue;
            }

            for (var c = 0; c < row.Length; c++)
            {
                var cell = row[c];
                if (cell.Kind == CellKind.Empty)
                {
                    continue;
                }

                var data = new byte[cell.Kind == CellKind.Text ? 10 : 14];
                BinaryPrimitives.WriteUInt16LittleEndian(data, (ushort)r);
                BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), (ushort)c);
                if (cell.Kind == CellKind.Text)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), GeneralXf);
                    BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(6), (uint)strings[cell.Text!]);
                    biff.Record(0x00FD, data); // LABELSST
                }
                else
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), cell.Kind == CellKind.Date ? DateXf : GeneralXf);
                    BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(6), cell.Number);
                    biff.Record(0x0203, data); // NUMBER
                }
            }
        }

        var window = new byte[18];
        BinaryPrimitives.WriteUInt16LittleEndian(window, 0x00B6); // gridlines, headers, zeros, outline symbols
        BinaryPrimitives.WriteUInt16LittleEndian(window.AsSpan(6), 0x0040); // gridline colour: default
        biff.Record(0x023E, window); // WINDOW2, after the cells
        biff.Record(0x000A, []); // EOF
        return biff.ToArray();
    }

    /// <summary>
    /// The shared string table: SST, then CONTINUE records when it outgrows one record. A string never straddles two
    /// records (a new CONTINUE starts before a string that would not fit), which BIFF8 allows.
    /// </summary>
    private static void WriteSst(Biff biff, List<string> strings, int total)
    {
        var record = new List<byte>(MaxRecordData);
        Span<byte> counts = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(counts, (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(counts[4..], (uint)strings.Count);
        record.AddRange(counts.ToArray());
        var type = (ushort)0x00FC;
        foreach (var text in strings)
        {
            var encoded = UnicodeString(text);
            if (encoded.Length > MaxRecordData)
            {
                throw new InvalidOperationException($"a string of {text.Length} characters does not fit one BIFF record");
            }

            if (record.Count + encoded.Length > MaxRecordData)
            {
                biff.Record(type, [.. record]);
                record.Clear();
                type = 0x003C; // CONTINUE
            }

            record.AddRange(encoded);
        }

        biff.Record(type, [.. record]);
    }

    /// <summary>An XLUnicodeString with a 16-bit length: 8-bit characters when every one fits (as Excel writes Latin-1 text), else UTF-16.</summary>
    private static byte[] UnicodeString(string text)
    {
        var compressed = text.All(c => c <= 0xFF);
        var bytes = new byte[3 + (text.Length * (compressed ? 1 : 2))];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)text.Length);
        bytes[2] = compressed ? (byte)0 : (byte)1;
        for (var i = 0; i < text.Length; i++)
        {
            if (compressed)
            {
                bytes[3 + i] = (byte)text[i];
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(3 + (2 * i)), text[i]);
            }
        }

        return bytes;
    }

    /// <summary>A ShortXLUnicodeString (8-bit length), for font and sheet names.</summary>
    private static byte[] ShortString(string text)
    {
        var compressed = text.All(c => c <= 0xFF);
        var bytes = new byte[2 + (text.Length * (compressed ? 1 : 2))];
        bytes[0] = (byte)text.Length;
        bytes[1] = compressed ? (byte)0 : (byte)1;
        for (var i = 0; i < text.Length; i++)
        {
            if (compressed)
            {
                bytes[2 + i] = (byte)text[i];
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 + (2 * i)), text[i]);
            }
        }

        return bytes;
    }

    private static byte[] Window1(int activeSheet)
    {
        var data = new byte[18];
        BinaryPrimitives.WriteUInt16LittleEndian(data, 0x0168); // window position and size, in twips
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), 0x001E);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), 0x4E20);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), 0x2EE0);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(8), 0x0038); // scroll bars and sheet tabs shown
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(10), (ushort)activeSheet);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(12), 0); // first tab shown
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(14), 1); // tabs selected
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(16), 0x0258); // tab bar width ratio
        return data;
    }

    private static byte[] Font()
    {
        var name = ShortString("Arial");
        var data = new byte[14 + name.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(data, 200); // 10 pt
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), 0x7FFF); // automatic colour
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), 400); // normal weight
        name.CopyTo(data, 14);
        return data;
    }

    private static byte[] Xf(ushort format, bool style)
    {
        var data = new byte[20];
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), format);
        // locked; a style XF has the style flag and no parent (0xFFF), a cell XF's parent is style XF 0
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), style ? (ushort)0xFFF5 : (ushort)0x0001);
        data[6] = 0x20; // general alignment, bottom
        data[9] = style ? (byte)0x00 : format != 0 ? (byte)0x04 : (byte)0x00; // a cell XF that sets its number format says so
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(18), 0x20C0); // pattern colours: automatic
        return data;
    }

    /// <summary>BIFF records in a growing buffer.</summary>
    private sealed class Biff
    {
        private readonly MemoryStream stream = new();

        public int Length => (int)stream.Length;

        public void Bof(ushort type)
        {
            var data = new byte[16];
            BinaryPrimitives.WriteUInt16LittleEndian(data, BiffVersion);
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), type);
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), 0x0DBB); // build
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), 0x07CC); // year (1996)
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), 0);
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(12), 0x0006); // lowest BIFF version: BIFF8
            Record(0x0809, data);
        }

        public void Record(ushort type, byte[] data)
        {
            Span<byte> header = stackalloc byte[4];
            BinaryPrimitives.WriteUInt16LittleEndian(header, type);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)data.Length);
            stream.Write(header);
            stream.Write(data);
        }

        public byte[] ToArray() => stream.ToArray();
    }
}

/// <summary>
/// An OLE2 compound file (version 3, 512-byte sectors) holding one stream, as .xls files are: the header, the
/// stream's sectors, one directory sector (the root entry and the stream), and the allocation table.
/// </summary>
internal static class CompoundFile
{
    private const int SectorSize = 512;
    private const uint EndOfChain = 0xFFFFFFFE;
    private const uint FreeSector = 0xFFFFFFFF;
    private const uint FatSector = 0xFFFFFFFD;
    private const uint NoStream = 0xFFFFFFFF;

    public static void Write(string path, string streamName, byte[] stream)
    {
        // A stream under 4,096 bytes would belong in the mini stream; a workbook is always larger.
        if (stream.Length < 4096)
        {
            Array.Resize(ref stream, 4096);
        }

        var streamSectors = (stream.Length + SectorSize - 1) / SectorSize;
        var fatSectors = 1;
        while ((streamSectors + 1 + fatSectors) > fatSectors * (SectorSize / 4))
        {
            fatSectors++;
        }

        if (fatSectors > 109)
        {
            throw new InvalidOperationException("the workbook is too large for a compound file without DIFAT sectors");
        }

        var directorySector = streamSectors;
        var firstFat = streamSectors + 1;
        var total = streamSectors + 1 + fatSectors;
        var file = new byte[SectorSize * (1 + total)];

        // Header
        var header = file.AsSpan(0, SectorSize);
        ReadOnlySpan<byte> signature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        signature.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[24..], 0x003E); // minor version
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], 0x0003); // major version 3
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], 0xFFFE); // little-endian
        BinaryPrimitives.WriteUInt16LittleEndian(header[30..], 9); // 512-byte sectors
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], 6); // 64-byte mini sectors
        BinaryPrimitives.WriteUInt32LittleEndian(header[44..], (uint)fatSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(header[48..], (uint)directorySector);
        BinaryPrimitives.WriteUInt32LittleEndian(header[56..], 4096); // mini stream cutoff
        BinaryPrimitives.WriteUInt32LittleEndian(header[60..], EndOfChain); // no mini FAT
        BinaryPrimitives.WriteUInt32LittleEndian(header[68..], EndOfChain); // no DIFAT sectors
        for (var i = 0; i < 109; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[(76 + (4 * i))..], i < fatSectors ? (uint)(firstFat + i) : FreeSector);
        }

        // The stream
        stream.CopyTo(file, SectorSize);

        // Directory: the root entry, the stream, two unused entries
        var directory = file.AsSpan(SectorSize * (1 + directorySector), SectorSize);
        Entry(directory[..128], "Root Entry", type: 5, child: 1, start: EndOfChain, size: 0);
        Entry(directory[128..256], streamName, type: 2, child: NoStream, start: 0, size: (uint)stream.Length);
        for (var i = 2; i < 4; i++)
        {
            var unused = directory[(128 * i)..(128 * (i + 1))];
            BinaryPrimitives.WriteUInt32LittleEndian(unused[68..], NoStream);
            BinaryPrimitives.WriteUInt32LittleEndian(unused[72..], NoStream);
            BinaryPrimitives.WriteUInt32LittleEndian(unused[76..], NoStream);
        }

        // Allocation table
        var fat = new uint[fatSectors * (SectorSize / 4)];
        Array.Fill(fat, FreeSector);
        for (var i = 0; i < streamSectors; i++)
        {
            fat[i] = i == streamSectors - 1 ? EndOfChain : (uint)(i + 1);
        }

        fat[directorySector] = EndOfChain;
        for (var i = 0; i < fatSectors; i++)
        {
            fat[firstFat + i] = FatSector;
        }

        for (var i = 0; i < fat.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan((SectorSize * (1 + firstFat)) + (4 * i)), fat[i]);
        }

        File.WriteAllBytes(path, file);
    }

    private static void Entry(Span<byte> entry, string name, byte type, uint child, uint start, uint size)
    {
        for (var i = 0; i < name.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(entry[(2 * i)..], name[i]);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(entry[64..], (ushort)(2 * (name.Length + 1)));
        entry[66] = type;
        entry[67] = 1; // black
        BinaryPrimitives.WriteUInt32LittleEndian(entry[68..], NoStream); // left sibling
        BinaryPrimitives.WriteUInt32LittleEndian(entry[72..], NoStream); // right sibling
        BinaryPrimitives.WriteUInt32LittleEndian(entry[76..], child);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[116..], start);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[120..], size);
    }
}
