package pgstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// decodeSynced reads a link's synced values: a JSON object of strings, as
// PostgreSQL prints jsonb ({"k": "v", ...}). Plans load every link of a
// collection, so the common case (no escapes) is read here without
// encoding/json, which is several times slower at this; anything else
// goes to encoding/json, which has the last word on what is valid.
func decodeSynced(b []byte, keys map[string]string) (map[string]string, error) {
	if m, ok := decodeFlat(b, keys); ok {
		return m, nil
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("synced values are JSON null")
	}
	return m, nil
}

// decodeFlat decodes b when it is an object of strings with no escape and
// no duplicate key; ok is false for anything else. Keys come from keys
// when there, and go into it (when not nil): the links of a collection
// share a few keys, kept once.
func decodeFlat(b []byte, keys map[string]string) (m map[string]string, ok bool) {
	p := flatParser{b: b}
	p.space()
	if !p.byte('{') {
		return nil, false
	}
	m = map[string]string{}
	p.space()
	if p.byte('}') {
		return m, p.end()
	}
	for {
		kb, ok := p.raw()
		if !ok {
			return nil, false
		}
		k, known := keys[string(kb)]
		if !known {
			k = string(kb)
			if keys != nil && len(keys) < maxKeys {
				keys[k] = k
			}
		}
		p.space()
		if !p.byte(':') {
			return nil, false
		}
		p.space()
		v, ok := p.str()
		if _, dup := m[k]; !ok || dup {
			return nil, false
		}
		m[k] = v
		p.space()
		switch {
		case p.byte(','):
			p.space()
		case p.byte('}'):
			return m, p.end()
		default:
			return nil, false
		}
	}
}

type flatParser struct {
	b []byte
	i int
}

func (p *flatParser) space() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\t' || p.b[p.i] == '\n' || p.b[p.i] == '\r') {
		p.i++
	}
}

func (p *flatParser) byte(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// maxKeys bounds the keys decodeFlat keeps for sharing.
const maxKeys = 1024

func (p *flatParser) str() (string, bool) {
	b, ok := p.raw()
	return string(b), ok
}

// raw reads a string with no escape and no control character; JSON
// requires both to be escaped, so their absence leaves the bytes as they
// are. The bytes are b's own.
func (p *flatParser) raw() ([]byte, bool) {
	if !p.byte('"') {
		return nil, false
	}
	n := bytes.IndexByte(p.b[p.i:], '"')
	if n < 0 {
		return nil, false
	}
	s := p.b[p.i : p.i+n]
	ascii := true
	for _, c := range s {
		if c == '\\' || c < 0x20 {
			return nil, false
		}
		ascii = ascii && c < utf8.RuneSelf
	}
	if !ascii && !utf8.Valid(s) {
		return nil, false // encoding/json puts U+FFFD in place of bad bytes
	}
	p.i += n + 1
	return s, true
}

func (p *flatParser) end() bool {
	p.space()
	return p.i == len(p.b)
}
