package mapping

import "strings"

// latinFold maps U+00C0..U+017F (Latin-1 Supplement letters and Latin
// Extended-A) to ASCII; "" keeps the character (× and ÷). Ligatures and
// letters without a base letter spell out: Æ→AE, ß→ss, Þ→TH, Œ→OE, Ĳ→IJ.
var latinFold = [0x180 - 0xC0]string{
	"A", "A", "A", "A", "A", "A", "AE", "C", // U+00C0 À Á Â Ã Ä Å Æ Ç
	"E", "E", "E", "E", "I", "I", "I", "I", // U+00C8 È É Ê Ë Ì Í Î Ï
	"D", "N", "O", "O", "O", "O", "O", "", // U+00D0 Ð Ñ Ò Ó Ô Õ Ö ×
	"O", "U", "U", "U", "U", "Y", "TH", "ss", // U+00D8 Ø Ù Ú Û Ü Ý Þ ß
	"a", "a", "a", "a", "a", "a", "ae", "c", // U+00E0 à á â ã ä å æ ç
	"e", "e", "e", "e", "i", "i", "i", "i", // U+00E8 è é ê ë ì í î ï
	"d", "n", "o", "o", "o", "o", "o", "", // U+00F0 ð ñ ò ó ô õ ö ÷
	"o", "u", "u", "u", "u", "y", "th", "y", // U+00F8 ø ù ú û ü ý þ ÿ
	"A", "a", "A", "a", "A", "a", "C", "c", // U+0100 Ā ā Ă ă Ą ą Ć ć
	"C", "c", "C", "c", "C", "c", "D", "d", // U+0108 Ĉ ĉ Ċ ċ Č č Ď ď
	"D", "d", "E", "e", "E", "e", "E", "e", // U+0110 Đ đ Ē ē Ĕ ĕ Ė ė
	"E", "e", "E", "e", "G", "g", "G", "g", // U+0118 Ę ę Ě ě Ĝ ĝ Ğ ğ
	"G", "g", "G", "g", "H", "h", "H", "h", // U+0120 Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ
	"I", "i", "I", "i", "I", "i", "I", "i", // U+0128 Ĩ ĩ Ī ī Ĭ ĭ Į į
	"I", "i", "IJ", "ij", "J", "j", "K", "k", // U+0130 İ ı Ĳ ĳ Ĵ ĵ Ķ ķ
	"k", "L", "l", "L", "l", "L", "l", "L", // U+0138 ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ
	"l", "L", "l", "N", "n", "N", "n", "N", // U+0140 ŀ Ł ł Ń ń Ņ ņ Ň
	"n", "n", "N", "n", "O", "o", "O", "o", // U+0148 ň ŉ Ŋ ŋ Ō ō Ŏ ŏ
	"O", "o", "OE", "oe", "R", "r", "R", "r", // U+0150 Ő ő Œ œ Ŕ ŕ Ŗ ŗ
	"R", "r", "S", "s", "S", "s", "S", "s", // U+0158 Ř ř Ś ś Ŝ ŝ Ş ş
	"S", "s", "T", "t", "T", "t", "T", "t", // U+0160 Š š Ţ ţ Ť ť Ŧ ŧ
	"U", "u", "U", "u", "U", "u", "U", "u", // U+0168 Ũ ũ Ū ū Ŭ ŭ Ů ů
	"U", "u", "U", "u", "W", "w", "Y", "y", // U+0170 Ű ű Ų ų Ŵ ŵ Ŷ ŷ
	"Y", "Z", "z", "Z", "z", "Z", "z", "s", // U+0178 Ÿ Ź ź Ż ż Ž ž ſ
}

// normalizeDiacritics folds Latin letters with diacritics to ASCII and
// drops combining marks (U+0300..U+036F), so both "é" and "e\u0301" give
// "e". Other characters are kept. Unchanged input is returned as is.
func normalizeDiacritics(s string) string {
	i := firstFoldable(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r >= 0xC0 && r < 0x180 && latinFold[r-0xC0] != "":
			b.WriteString(latinFold[r-0xC0])
		case r >= 0x300 && r <= 0x36F:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func firstFoldable(s string) int {
	for i, r := range s {
		if r >= 0xC0 && r < 0x180 && latinFold[r-0xC0] != "" || r >= 0x300 && r <= 0x36F {
			return i
		}
	}
	return -1
}
