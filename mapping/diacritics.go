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

// latinExtB maps U+0180..U+0237 to ASCII; "" keeps the character.
// Latin Extended-B: Romanian comma-below letters, pinyin carons, Vietnamese horns, digraphs.
var latinExtB = [0x238 - 0x180]string{
	"b", "", "", "", "", "", "", "", // U+0180 ƀ Ɓ Ƃ ƃ Ƅ ƅ Ɔ Ƈ
	"", "D", "D", "", "", "", "", "", // U+0188 ƈ Ɖ Ɗ Ƌ ƌ ƍ Ǝ Ə
	"", "F", "f", "", "", "", "", "I", // U+0190 Ɛ Ƒ ƒ Ɠ Ɣ ƕ Ɩ Ɨ
	"", "", "l", "", "", "", "", "O", // U+0198 Ƙ ƙ ƚ ƛ Ɯ Ɲ ƞ Ɵ
	"O", "o", "", "", "P", "p", "", "", // U+01A0 Ơ ơ Ƣ ƣ Ƥ ƥ Ʀ Ƨ
	"", "", "", "t", "T", "t", "T", "U", // U+01A8 ƨ Ʃ ƪ ƫ Ƭ ƭ Ʈ Ư
	"u", "", "", "", "", "Z", "z", "", // U+01B0 ư Ʊ Ʋ Ƴ ƴ Ƶ ƶ Ʒ
	"", "", "", "", "", "", "", "", // U+01B8 Ƹ ƹ ƺ ƻ Ƽ ƽ ƾ ƿ
	"", "", "", "", "DZ", "Dz", "dz", "LJ", // U+01C0 ǀ ǁ ǂ ǃ Ǆ ǅ ǆ Ǉ
	"Lj", "lj", "NJ", "Nj", "nj", "A", "a", "I", // U+01C8 ǈ ǉ Ǌ ǋ ǌ Ǎ ǎ Ǐ
	"i", "O", "o", "U", "u", "U", "u", "U", // U+01D0 ǐ Ǒ ǒ Ǔ ǔ Ǖ ǖ Ǘ
	"u", "U", "u", "U", "u", "", "A", "a", // U+01D8 ǘ Ǚ ǚ Ǜ ǜ ǝ Ǟ ǟ
	"A", "a", "AE", "ae", "", "", "G", "g", // U+01E0 Ǡ ǡ Ǣ ǣ Ǥ ǥ Ǧ ǧ
	"K", "k", "O", "o", "O", "o", "", "", // U+01E8 Ǩ ǩ Ǫ ǫ Ǭ ǭ Ǯ ǯ
	"j", "DZ", "Dz", "dz", "G", "g", "", "", // U+01F0 ǰ Ǳ ǲ ǳ Ǵ ǵ Ƕ Ƿ
	"N", "n", "A", "a", "AE", "ae", "O", "o", // U+01F8 Ǹ ǹ Ǻ ǻ Ǽ ǽ Ǿ ǿ
	"A", "a", "A", "a", "E", "e", "E", "e", // U+0200 Ȁ ȁ Ȃ ȃ Ȅ ȅ Ȇ ȇ
	"I", "i", "I", "i", "O", "o", "O", "o", // U+0208 Ȉ ȉ Ȋ ȋ Ȍ ȍ Ȏ ȏ
	"R", "r", "R", "r", "U", "u", "U", "u", // U+0210 Ȑ ȑ Ȓ ȓ Ȕ ȕ Ȗ ȗ
	"S", "s", "T", "t", "", "", "H", "h", // U+0218 Ș ș Ț ț Ȝ ȝ Ȟ ȟ
	"", "", "", "", "", "", "A", "a", // U+0220 Ƞ ȡ Ȣ ȣ Ȥ ȥ Ȧ ȧ
	"E", "e", "O", "o", "O", "o", "O", "o", // U+0228 Ȩ ȩ Ȫ ȫ Ȭ ȭ Ȯ ȯ
	"O", "o", "Y", "y", "", "", "", "", // U+0230 Ȱ ȱ Ȳ ȳ ȴ ȵ ȶ ȷ
}

// latinExtAdditional maps U+1E00..U+1EFF to ASCII; "" keeps the character.
// Latin Extended Additional: Vietnamese and other precomposed letters; ẞ spells SS.
var latinExtAdditional = [0x1F00 - 0x1E00]string{
	"A", "a", "B", "b", "B", "b", "B", "b", // U+1E00 Ḁ ḁ Ḃ ḃ Ḅ ḅ Ḇ ḇ
	"C", "c", "D", "d", "D", "d", "D", "d", // U+1E08 Ḉ ḉ Ḋ ḋ Ḍ ḍ Ḏ ḏ
	"D", "d", "D", "d", "E", "e", "E", "e", // U+1E10 Ḑ ḑ Ḓ ḓ Ḕ ḕ Ḗ ḗ
	"E", "e", "E", "e", "E", "e", "F", "f", // U+1E18 Ḙ ḙ Ḛ ḛ Ḝ ḝ Ḟ ḟ
	"G", "g", "H", "h", "H", "h", "H", "h", // U+1E20 Ḡ ḡ Ḣ ḣ Ḥ ḥ Ḧ ḧ
	"H", "h", "H", "h", "I", "i", "I", "i", // U+1E28 Ḩ ḩ Ḫ ḫ Ḭ ḭ Ḯ ḯ
	"K", "k", "K", "k", "K", "k", "L", "l", // U+1E30 Ḱ ḱ Ḳ ḳ Ḵ ḵ Ḷ ḷ
	"L", "l", "L", "l", "L", "l", "M", "m", // U+1E38 Ḹ ḹ Ḻ ḻ Ḽ ḽ Ḿ ḿ
	"M", "m", "M", "m", "N", "n", "N", "n", // U+1E40 Ṁ ṁ Ṃ ṃ Ṅ ṅ Ṇ ṇ
	"N", "n", "N", "n", "O", "o", "O", "o", // U+1E48 Ṉ ṉ Ṋ ṋ Ṍ ṍ Ṏ ṏ
	"O", "o", "O", "o", "P", "p", "P", "p", // U+1E50 Ṑ ṑ Ṓ ṓ Ṕ ṕ Ṗ ṗ
	"R", "r", "R", "r", "R", "r", "R", "r", // U+1E58 Ṙ ṙ Ṛ ṛ Ṝ ṝ Ṟ ṟ
	"S", "s", "S", "s", "S", "s", "S", "s", // U+1E60 Ṡ ṡ Ṣ ṣ Ṥ ṥ Ṧ ṧ
	"S", "s", "T", "t", "T", "t", "T", "t", // U+1E68 Ṩ ṩ Ṫ ṫ Ṭ ṭ Ṯ ṯ
	"T", "t", "U", "u", "U", "u", "U", "u", // U+1E70 Ṱ ṱ Ṳ ṳ Ṵ ṵ Ṷ ṷ
	"U", "u", "U", "u", "V", "v", "V", "v", // U+1E78 Ṹ ṹ Ṻ ṻ Ṽ ṽ Ṿ ṿ
	"W", "w", "W", "w", "W", "w", "W", "w", // U+1E80 Ẁ ẁ Ẃ ẃ Ẅ ẅ Ẇ ẇ
	"W", "w", "X", "x", "X", "x", "Y", "y", // U+1E88 Ẉ ẉ Ẋ ẋ Ẍ ẍ Ẏ ẏ
	"Z", "z", "Z", "z", "Z", "z", "h", "t", // U+1E90 Ẑ ẑ Ẓ ẓ Ẕ ẕ ẖ ẗ
	"w", "y", "", "s", "", "", "SS", "", // U+1E98 ẘ ẙ ẚ ẛ ẜ ẝ ẞ ẟ
	"A", "a", "A", "a", "A", "a", "A", "a", // U+1EA0 Ạ ạ Ả ả Ấ ấ Ầ ầ
	"A", "a", "A", "a", "A", "a", "A", "a", // U+1EA8 Ẩ ẩ Ẫ ẫ Ậ ậ Ắ ắ
	"A", "a", "A", "a", "A", "a", "A", "a", // U+1EB0 Ằ ằ Ẳ ẳ Ẵ ẵ Ặ ặ
	"E", "e", "E", "e", "E", "e", "E", "e", // U+1EB8 Ẹ ẹ Ẻ ẻ Ẽ ẽ Ế ế
	"E", "e", "E", "e", "E", "e", "E", "e", // U+1EC0 Ề ề Ể ể Ễ ễ Ệ ệ
	"I", "i", "I", "i", "O", "o", "O", "o", // U+1EC8 Ỉ ỉ Ị ị Ọ ọ Ỏ ỏ
	"O", "o", "O", "o", "O", "o", "O", "o", // U+1ED0 Ố ố Ồ ồ Ổ ổ Ỗ ỗ
	"O", "o", "O", "o", "O", "o", "O", "o", // U+1ED8 Ộ ộ Ớ ớ Ờ ờ Ở ở
	"O", "o", "O", "o", "U", "u", "U", "u", // U+1EE0 Ỡ ỡ Ợ ợ Ụ ụ Ủ ủ
	"U", "u", "U", "u", "U", "u", "U", "u", // U+1EE8 Ứ ứ Ừ ừ Ử ử Ữ ữ
	"U", "u", "Y", "y", "Y", "y", "Y", "y", // U+1EF0 Ự ự Ỳ ỳ Ỵ ỵ Ỷ ỷ
	"Y", "y", "", "", "", "", "", "", // U+1EF8 Ỹ ỹ Ỻ ỻ Ỽ ỽ Ỿ ỿ
}

// fold returns the ASCII spelling of a Latin letter with diacritics, or
// ok=false for a character to keep.
func fold(r rune) (string, bool) {
	var s string
	switch {
	case r < 0xC0:
		return "", false
	case r < 0x180:
		s = latinFold[r-0xC0]
	case r < 0x238:
		s = latinExtB[r-0x180]
	case r >= 0x1E00 && r < 0x1F00:
		s = latinExtAdditional[r-0x1E00]
	}
	return s, s != ""
}

func combining(r rune) bool { return r >= 0x300 && r <= 0x36F }

// normalizeDiacritics folds Latin letters with diacritics to ASCII (Latin-1,
// Latin Extended-A and -B, Latin Extended Additional: French, German,
// Nordic, Polish, Czech, Romanian ș/ț, Vietnamese, pinyin) and drops
// combining marks (U+0300..U+036F), so both "é" and "e\u0301" give "e".
// Other characters are kept. Unchanged input is returned as is.
func normalizeDiacritics(s string) string {
	i := firstFoldable(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if f, ok := fold(r); ok {
			b.WriteString(f)
		} else if !combining(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func firstFoldable(s string) int {
	for i, r := range s {
		if _, ok := fold(r); ok || combining(r) {
			return i
		}
	}
	return -1
}
