package httpx

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

var (
	// sensitiveName matches parameter and field names that carry credentials:
	// apikey, api_key, key, token, access_token, password, client_secret,
	// signature, and any name ending in one of those words.
	sensitiveName = `[a-z0-9_.\-]*(?:key|token|secret|passw(?:or)?d|pwd|signature|credentials?|auth)`

	// "name": "value" pairs in JSON echoed back by a vendor.
	jsonPairRe = regexp.MustCompile(`(?i)("` + sensitiveName + `"\s*:\s*)"(?:[^"\\]|\\.)*"`)
	// Authorization-style headers rendered as text ("Authorization: Basic ...",
	// "apikey: ..." as Litmos sends it, "map[Apikey:[...]]" from a printed http.Header).
	headerRe = regexp.MustCompile(`(?i)\b((?:proxy-)?authorization|(?:x-)?api[-_]?key|x-auth-token|set-cookie|cookie)(["']?\s*[:=]\s*\[?\s*["']?)([^"'\r\n\]&]+)`)
	// Bearer tokens anywhere.
	bearerRe = regexp.MustCompile(`(?i)\b(bearer)\s+[a-z0-9\-._~+/]+=*`)
	// user:password@ in URLs.
	userinfoRe = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@?#]+@`)
)

// Redact returns s with every secret value replaced by "REDACTED", together
// with what looks like a credential whatever its value: Authorization (and
// similar) header values, bearer tokens, user:password@ in URLs, and the
// values of query, form or JSON fields named apikey, api_key, key, token,
// access_token, password, client_secret, signature or ending in one of those.
// Secrets are also matched in their URL-escaped forms. Empty secrets are ignored.
func Redact(s string, secrets ...string) string {
	s = redactLiterals(s, secrets)
	// Cheap substring checks skip the regular expressions that cannot match.
	lower := strings.ToLower(s)
	if strings.Contains(lower, "://") && strings.Contains(lower, "@") {
		s = userinfoRe.ReplaceAllString(s, "${1}"+redacted+"@")
	}
	if strings.Contains(lower, "auth") || strings.Contains(lower, "key") || strings.Contains(lower, "cookie") {
		s = headerRe.ReplaceAllString(s, "${1}${2}"+redacted)
	}
	if strings.Contains(lower, "bearer") {
		s = bearerRe.ReplaceAllString(s, "${1} "+redacted)
	}
	if strings.Contains(lower, `":`) || strings.Contains(lower, `" :`) {
		s = jsonPairRe.ReplaceAllString(s, `${1}"`+redacted+`"`)
	}
	if strings.Contains(lower, "=") {
		s = redactPairs(s)
	}
	return s
}

// redactPairs replaces the value of every name=value pair whose name is
// sensitive (see isSensitiveName), in query strings, form bodies and free
// text. A hand-written scan: the equivalent regular expression is slow.
func redactPairs(s string) string {
	var b strings.Builder
	last := 0 // s[:last] is already in b
	for i := 0; i < len(s); i++ {
		if s[i] != '=' {
			continue
		}
		start := i
		for start > 0 && isNameByte(s[start-1]) {
			start--
		}
		if start == i || !isSensitiveName(s[start:i]) {
			continue
		}
		end := i + 1
		for end < len(s) && !isValueEnd(s[end]) {
			end++
		}
		if end == i+1 || s[i+1:end] == redacted {
			continue
		}
		b.WriteString(s[last : i+1])
		b.WriteString(redacted)
		last, i = end, end-1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isNameByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isValueEnd(c byte) bool {
	return strings.IndexByte("&\t\n\r \"'<>#", c) >= 0
}

// redactLiterals replaces each secret and its escaped forms, longest first so
// that a secret containing another is replaced whole.
func redactLiterals(s string, secrets []string) string {
	if len(secrets) == 0 || s == "" {
		return s
	}
	var forms []string
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		forms = append(forms, sec, url.QueryEscape(sec), url.PathEscape(sec))
	}
	sort.Slice(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	for _, f := range forms {
		s = strings.ReplaceAll(s, f, redacted)
	}
	return s
}

// redactURL renders u without userinfo, with sensitive query values replaced
// and secrets removed.
func redactURL(u *url.URL, secrets []string) string {
	if u == nil {
		return ""
	}
	ru := *u
	ru.User = nil
	if ru.RawQuery != "" {
		q := ru.Query()
		for name, vals := range q {
			if isSensitiveName(name) {
				for i := range vals {
					vals[i] = redacted
				}
			}
		}
		ru.RawQuery = q.Encode()
	}
	return Redact(ru.String(), secrets...)
}

var sensitiveNameRe = regexp.MustCompile(`(?i)^` + sensitiveName + `$`)

func isSensitiveName(name string) bool { return sensitiveNameRe.MatchString(name) }

// requestSecrets collects credential values that Authorize (or the caller)
// put on a request, so that a vendor echoing them back is redacted even when
// Config.Secrets does not list them.
func requestSecrets(r *http.Request) []string {
	var out []string
	add := func(v string) {
		if len(v) >= 6 {
			out = append(out, v)
		}
	}
	for name, vals := range r.Header {
		named := isSensitiveName(name) || strings.EqualFold(name, "Authorization") ||
			strings.EqualFold(name, "Proxy-Authorization") || strings.EqualFold(name, "Cookie")
		for _, v := range vals {
			scheme, cred, ok := strings.Cut(v, " ")
			isAuthScheme := ok && (strings.EqualFold(scheme, "Basic") || strings.EqualFold(scheme, "Bearer"))
			if !named && !isAuthScheme {
				continue
			}
			add(v)
			if !ok {
				continue
			}
			add(cred)
			if strings.EqualFold(scheme, "Basic") {
				if dec, err := base64.StdEncoding.DecodeString(cred); err == nil {
					user, pass, _ := strings.Cut(string(dec), ":")
					add(pass)
					add(user) // an API key sent as the Basic user name (BambooHR, Litmos)
				}
			}
		}
	}
	for name, vals := range r.URL.Query() {
		if isSensitiveName(name) {
			for _, v := range vals {
				add(v)
			}
		}
	}
	if p, ok := r.URL.User.Password(); ok {
		add(p)
	}
	return out
}
