package talenthrtest

import (
	"encoding/json"
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// The checks below answer with Laravel's wording, as a PHP API would
// ("The first name field is required."). Each takes the violations, the
// object and the key (with prefix, its dotted name in messages) and
// reports the value and whether the key was there.

// getString reads key as a string; null reads as "" and present.
func getString(v violations, m map[string]any, prefix, key string, req bool) (string, bool) {
	x, present := m[key]
	name := prefix + key
	switch s := x.(type) {
	case nil:
		if req {
			v.add(name, required(name))
		}
		return "", present
	case string:
		if req && strings.TrimSpace(s) == "" {
			v.add(name, required(name))
		}
		return s, true
	}
	v.add(name, "The "+attr(name)+" must be a string.")
	return "", true
}

// getID reads key as an id (a JSON integer or a string of digits) that
// exists says is known; null reads as "" and present.
func getID(v violations, m map[string]any, prefix, key string, req bool, exists func(string) bool) (string, bool) {
	x, present := m[key]
	name := prefix + key
	if x == nil {
		if req {
			v.add(name, required(name))
		}
		return "", present
	}
	id, ok := idOf(x)
	switch {
	case !ok:
		v.add(name, "The "+attr(name)+" must be an integer.")
	case !exists(id):
		v.add(name, "The selected "+attr(name)+" is invalid.")
	default:
		return id, true
	}
	return "", true
}

// idOf reads a JSON number or a string of digits as an id.
func idOf(x any) (string, bool) {
	switch n := x.(type) {
	case json.Number:
		return n.String(), isID(n.String())
	case string:
		return n, isID(n)
	}
	return "", false
}

// getDate reads key as a "Y-m-d" date; null reads as "" and present.
func getDate(v violations, m map[string]any, prefix, key string, req bool) (string, bool) {
	s, present := getString(v, m, prefix, key, req)
	if s == "" || len(v[prefix+key]) > 0 {
		return s, present
	}
	if !isDate(s) {
		v.add(prefix+key, "The "+attr(prefix+key)+" does not match the format Y-m-d.")
		return "", true
	}
	return s, true
}

var dateRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

func isDate(s string) bool {
	if !dateRe.MatchString(s) {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// getBool reads key as a boolean (true, false, 0 or 1).
func getBool(v violations, m map[string]any, prefix, key string) (bool, bool) {
	x, present := m[key]
	switch b := x.(type) {
	case nil:
		return false, present
	case bool:
		return b, true
	case json.Number:
		if b == "0" || b == "1" {
			return b == "1", true
		}
	}
	v.add(prefix+key, "The "+attr(prefix+key)+" field must be true or false.")
	return false, true
}

// getObject reads key as a JSON object; null reads as nil and present.
func getObject(v violations, m map[string]any, prefix, key string) (map[string]any, bool) {
	x, present := m[key]
	switch o := x.(type) {
	case nil:
		return nil, present
	case map[string]any:
		return o, true
	}
	v.add(prefix+key, "The "+attr(prefix+key)+" must be an object.")
	return nil, true
}

// isEmail reports whether s is a bare email address.
func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s, "@")
}

// oneOf checks s against allowed when it is not empty.
func oneOf(v violations, name, s string, allowed ...string) {
	if s != "" && !contains(allowed, s) {
		v.add(name, "The selected "+attr(name)+" is invalid.")
	}
}
