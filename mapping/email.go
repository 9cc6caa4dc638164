package mapping

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// validateEmail checks an address the way the vendors' user APIs need it:
// one '@', a local part of printable characters without spaces or the
// specials ()<>[]:;,\", and a domain of dot-separated labels (letters,
// digits, hyphens; not starting or ending with a hyphen) with a final
// label of two or more characters. It returns s unchanged.
func validateEmail(s string) (string, error) {
	if s == "" {
		return s, nil
	}
	if len(s) > 254 {
		return "", errors.New("invalid email address: longer than 254 bytes")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "", errors.New("invalid email address: no @")
	}
	if asciiEmailOK(s, at) {
		return s, nil
	}
	local, domain := s[:at], s[at+1:]
	if err := checkLocal(local); err != nil {
		return "", err
	}
	if err := checkDomain(domain); err != nil {
		return "", err
	}
	return s, nil
}

// asciiEmailOK is the common case of validateEmail in one pass over the
// bytes: an ASCII address, s[at] its last '@', that passes every check.
// False means "not known valid": the full checks decide and say why.
func asciiEmailOK(s string, at int) bool {
	if at == 0 || at > 64 || s[0] == '.' || s[at-1] == '.' {
		return false
	}
	for i := 0; i < at; i++ {
		c := s[i]
		switch {
		case c <= ' ' || c >= 0x7f:
			return false
		case c == '.' && s[i+1] == '.':
			return false
		}
		switch c {
		case '(', ')', '<', '>', '[', ']', ':', ';', ',', '\\', '"', '@':
			return false
		}
	}
	// Labels: 1 to 63 of [A-Za-z0-9-], no hyphen at either end; at least
	// two of them, the last of two or more.
	start, labels := at+1, 0
	for i := start; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			c := s[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
			continue
		}
		n := i - start
		if n == 0 || n > 63 || s[start] == '-' || s[i-1] == '-' {
			return false
		}
		labels++
		if i == len(s) && (labels < 2 || n < 2) {
			return false
		}
		start = i + 1
	}
	return true
}

func checkLocal(local string) error {
	switch {
	case local == "":
		return errors.New("invalid email address: nothing before @")
	case len(local) > 64:
		return errors.New("invalid email address: part before @ longer than 64 bytes")
	case local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, ".."):
		return errors.New("invalid email address: misplaced dot before @")
	}
	for _, r := range local {
		if !localRune(r) {
			return errors.New("invalid email address: forbidden character before @")
		}
	}
	return nil
}

func checkDomain(domain string) error {
	if domain == "" {
		return errors.New("invalid email address: nothing after @")
	}
	if !strings.Contains(domain, ".") {
		return errors.New("invalid email address: domain has no dot")
	}
	last := ""
	for rest := domain; ; {
		label, after, more := strings.Cut(rest, ".")
		if err := checkLabel(label); err != nil {
			return err
		}
		if !more {
			last = label
			break
		}
		rest = after
	}
	if utf8.RuneCountInString(last) < 2 {
		return errors.New("invalid email address: top-level domain too short")
	}
	return nil
}

func checkLabel(l string) error {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return errors.New("invalid email address: malformed domain")
	}
	for _, r := range l {
		if !domainRune(r) {
			return errors.New("invalid email address: forbidden character in domain")
		}
	}
	return nil
}

func localRune(r rune) bool {
	if r < utf8.RuneSelf {
		if r <= ' ' || r == 0x7f {
			return false
		}
		switch r {
		case '(', ')', '<', '>', '[', ']', ':', ';', ',', '\\', '"', '@':
			return false
		}
		return true
	}
	return !unicode.IsSpace(r) && !unicode.IsControl(r)
}

func domainRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
