package litmos

import (
	"errors"
	"fmt"
)

// scanner walks JSON text once, validating as it goes (the grammar of
// RFC 8259, as encoding/json accepts it). The decoder in decode.go reads
// Litmos objects with it without first splitting them into raw parts.
type scanner struct {
	data  []byte
	pos   int
	depth int
}

// maxDepth bounds nesting, as encoding/json does.
const maxDepth = 10000

var errDepth = errors.New("exceeded max depth")

func (s *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", s.pos, fmt.Sprintf(format, args...))
}

// ws skips white space.
func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, or 0 at the end.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

// expect consumes c after white space.
func (s *scanner) expect(c byte) error {
	if s.peek() != c {
		if s.pos >= len(s.data) {
			return s.errorf("unexpected end, want %q", c)
		}
		return s.errorf("unexpected %q, want %q", s.data[s.pos], c)
	}
	s.pos++
	return nil
}

// str scans the string starting at s.pos (a '"'), returning the bytes
// between the quotes and whether they hold escapes or non-ASCII bytes
// (either sends the caller to the slow, exact path).
func (s *scanner) str() (body []byte, slow bool, err error) {
	start := s.pos + 1
	i := start
	for i < len(s.data) {
		c := s.data[i]
		switch {
		case c == '"':
			s.pos = i + 1
			return s.data[start:i], slow, nil
		case c == '\\':
			slow = true
			if i+1 >= len(s.data) {
				break
			}
			switch s.data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
				continue
			case 'u':
				if i+6 <= len(s.data) && isHex4(s.data[i+2:i+6]) {
					i += 6
					continue
				}
			}
			s.pos = i
			return nil, false, s.errorf("bad escape in string")
		case c < 0x20:
			s.pos = i
			return nil, false, s.errorf("control character in string")
		case c >= 0x80:
			slow = true
		}
		i++
	}
	s.pos = len(s.data)
	return nil, false, s.errorf("unterminated string")
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// number scans a JSON number at s.pos and returns its text.
func (s *scanner) number() ([]byte, error) {
	start, i := s.pos, s.pos
	if i < len(s.data) && s.data[i] == '-' {
		i++
	}
	switch {
	case i < len(s.data) && s.data[i] == '0':
		i++
	case i < len(s.data) && '1' <= s.data[i] && s.data[i] <= '9':
		i = digits(s.data, i)
	default:
		s.pos = i
		return nil, s.errorf("bad number")
	}
	if i < len(s.data) && s.data[i] == '.' {
		j := digits(s.data, i+1)
		if j == i+1 {
			s.pos = j
			return nil, s.errorf("bad number")
		}
		i = j
	}
	if i < len(s.data) && (s.data[i] == 'e' || s.data[i] == 'E') {
		i++
		if i < len(s.data) && (s.data[i] == '+' || s.data[i] == '-') {
			i++
		}
		j := digits(s.data, i)
		if j == i {
			s.pos = j
			return nil, s.errorf("bad number")
		}
		i = j
	}
	s.pos = i
	return s.data[start:i], nil
}

func digits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// literal consumes word (true, false or null) at s.pos.
func (s *scanner) literal(word string) error {
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		return s.errorf("bad literal")
	}
	s.pos += len(word)
	return nil
}

// value skips one value of any kind after white space and returns its text.
func (s *scanner) value() ([]byte, error) {
	switch c := s.peek(); {
	case c == '"':
		start := s.pos
		_, _, err := s.str()
		return s.data[start:s.pos], err
	case c == '{' || c == '[':
		return s.composite()
	case c == 't':
		return s.lit("true")
	case c == 'f':
		return s.lit("false")
	case c == 'n':
		return s.lit("null")
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	case s.pos >= len(s.data):
		return nil, s.errorf("unexpected end, want a value")
	default:
		return nil, s.errorf("unexpected %q, want a value", c)
	}
}

func (s *scanner) lit(word string) ([]byte, error) {
	start := s.pos
	err := s.literal(word)
	return s.data[start:s.pos], err
}

// composite skips an object or array at s.pos.
func (s *scanner) composite() ([]byte, error) {
	start := s.pos
	if s.depth++; s.depth > maxDepth {
		return nil, errDepth
	}
	defer func() { s.depth-- }()
	open := s.data[s.pos]
	s.pos++
	closer := byte(']')
	if open == '{' {
		closer = '}'
	}
	if s.peek() == closer {
		s.pos++
		return s.data[start:s.pos], nil
	}
	for {
		if open == '{' {
			if s.peek() != '"' {
				return nil, s.errorf("want an object key")
			}
			if _, _, err := s.str(); err != nil {
				return nil, err
			}
			if err := s.expect(':'); err != nil {
				return nil, err
			}
		}
		if _, err := s.value(); err != nil {
			return nil, err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case closer:
			s.pos++
			return s.data[start:s.pos], nil
		default:
			return nil, s.errorf("want ',' or %q", closer)
		}
	}
}

// end checks that nothing but white space follows.
func (s *scanner) end() error {
	if s.peek() != 0 || s.pos < len(s.data) {
		return s.errorf("data after the value")
	}
	return nil
}
