package talentlmstest

import (
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/rostersync/rostersync/internal/fakeserver"
)

// Messages the fake answers with, as v1 words them.
const (
	msgInvalid      = "Invalid arguments provided"
	msgNoAction     = "The requested API action does not exist"
	msgNoUser       = "The requested user does not exist"
	msgUserGone     = "The requested user is no longer available"
	msgNoCourse     = "The requested course does not exist"
	msgNoBranch     = "The requested branch does not exist"
	msgEmailTaken   = "A user with the same email address already exists"
	msgLoginTaken   = "A user with the same login already exists"
	msgEnrolled     = "The requested user is already enrolled in this course"
	msgNotEnrolled  = "The requested user is not enrolled in this course"
	msgMember       = "The requested user is already a member of this branch"
	msgNotMember    = "The requested user is not a member of this branch"
	msgWeakPassword = "Password is not strong enough (should have at least (1) upper case letter, at least (1) lower case letter, at least (1) number, at least (8) characters in length)"
	msgRateLimit    = "API rate limit exceeded: the hourly limit of your plan has been reached"
)

// replyError answers v1's error body {"error":{"type","message"}}.
func replyError(w http.ResponseWriter, status int, msg string) {
	typ := "invalid_request_error"
	if status >= 500 || status == http.StatusTooManyRequests {
		typ = "api_error"
	}
	fakeserver.WriteJSON(w, status, map[string]any{"error": map[string]string{"type": typ, "message": msg}})
}

// notFound answers 404 with msg.
func notFound(w http.ResponseWriter, msg string) { replyError(w, http.StatusNotFound, msg) }

// invalid answers 400 with msg.
func invalid(w http.ResponseWriter, msg string) { replyError(w, http.StatusBadRequest, msg) }

// pathParams parses the raw (still escaped) segment "k1:v1,k2:v2": pairs
// split on "," and each on its first ":", values decoded as PHP's
// urldecode does ("+" is a space). It refuses what the real service
// cannot read safely: a further "/" segment, a key the action does not
// take or given twice, an empty value, and a decoded value holding a
// comma, colon or slash.
func pathParams(raw string, allowed ...string) (map[string]string, bool) {
	out := map[string]string{}
	if raw == "" {
		return out, true
	}
	if strings.Contains(raw, "/") {
		return nil, false
	}
	for _, pair := range strings.Split(raw, ",") {
		k, v, ok := strings.Cut(pair, ":")
		if !ok || !slices.Contains(allowed, k) {
			return nil, false
		}
		if _, dup := out[k]; dup {
			return nil, false
		}
		val, err := url.QueryUnescape(v)
		if err != nil || val == "" || strings.ContainsAny(val, ",:/") {
			return nil, false
		}
		out[k] = val
	}
	return out, true
}

// formParams reads an application/x-www-form-urlencoded body: another
// Content-Type (a JSON body, say), a key allowed refuses, or a key given
// twice is refused.
func formParams(r *http.Request, allowed func(string) bool) (url.Values, bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, false
	}
	if err := r.ParseForm(); err != nil {
		return nil, false
	}
	for k, vs := range r.PostForm {
		if len(vs) != 1 || !allowed(k) {
			return nil, false
		}
	}
	return r.PostForm, true
}

// keys returns a set test for fixed form keys.
func keys(names ...string) func(string) bool {
	return func(k string) bool { return slices.Contains(names, k) }
}
