package learnamptest

import (
	"crypto/rand"
	"encoding/base64"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
)

// scopes are the OAuth scopes Learn Amp knows
// (https://developers.learnamp.com/#available-scopes).
var scopes = map[string]bool{
	"public": true, "items:read": true, "items:create": true, "items:update": true, "items:delete": true,
	"items:complete": true, "activities:read": true, "enrollments:read": true, "enrollments:create": true,
	"events:read": true, "teams:read": true, "teams:create": true, "teams:update": true, "teams:delete": true,
	"team_users:read": true, "team_users:create": true, "team_users:delete": true, "users:read": true,
	"users:create": true, "users:update": true, "users:delete": true, "users:deactivate": true,
	"users:reactivate": true, "communities_posts:read": true, "tasks:read": true, "verbs:read": true,
	"languages:read": true, "learnlists:read": true, "channels:read": true,
	"channel_users_progress:read": true, "user_channels_progress:read": true, "roles:read": true,
}

// apiKey is one client ID's secret and scopes; nil scopes is a legacy key
// (full access, granted "public").
type apiKey struct {
	secret string
	scopes map[string]bool
}

type token struct {
	Token
	legacy  bool
	granted map[string]bool
	seq     int // issue order
}

// Token is an access token the fake issued.
type Token struct {
	// AccessToken is the token itself: test data, never to be logged.
	AccessToken string
	ClientID    string
	Scopes      []string // as granted, sorted
	IssuedAt    time.Time
	ExpiresAt   time.Time
}

// AddAPIKey makes the fake accept another key. With scopes it is a key
// "provisioned with specific scopes": its token requests must name scopes
// it holds ("public" only if listed). Without, it is a legacy key with
// full access, like the default one.
func (s *Server) AddAPIKey(clientID, clientSecret string, keyScopes ...string) {
	k := &apiKey{secret: clientSecret}
	if len(keyScopes) > 0 {
		k.scopes = map[string]bool{}
		for _, sc := range keyScopes {
			if !scopes[sc] {
				s.fail("AddAPIKey: unknown scope %q", sc)
			}
			k.scopes[sc] = true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[clientID] = k
}

// ExpireTokens makes every token issued so far expire now, as if its two
// hours were up: the next call with one answers 401.
func (s *Server) ExpireTokens() {
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		if t.ExpiresAt.After(now) {
			t.ExpiresAt = now
		}
	}
}

// Tokens returns the tokens issued so far, oldest first.
func (s *Server) Tokens() []Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	all := make([]*token, 0, len(s.tokens))
	for _, t := range s.tokens {
		all = append(all, t)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].seq < all[j].seq })
	out := make([]Token, len(all))
	for i, t := range all {
		out[i] = t.Token
		out[i].Scopes = slices.Clone(t.Scopes)
	}
	return out
}

// serveToken is POST /oauth/token, Doorkeeper's client-credentials grant
// (https://developers.learnamp.com/#authentication; errors per RFC 6749 §5.2).
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		notFound(w)
		return
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch ct {
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
	case "multipart/form-data":
		err = r.ParseMultipartForm(1 << 20)
	default:
		tokenError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: grant_type.")
		return
	}
	if err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "The request body is not a form.")
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := fakeserver.BasicAuth(r); ok && id == "" {
		id, secret = u, p
	}
	switch gt := r.PostForm.Get("grant_type"); {
	case gt == "":
		tokenError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: grant_type.")
		return
	case gt != "client_credentials":
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := s.keys[id]
	if key == nil || key.secret != secret || secret == "" {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")
		return
	}
	granted, ok := grant(key, r.PostForm.Get("scope"))
	if !ok {
		tokenError(w, http.StatusBadRequest, "invalid_scope", "The requested scope is invalid, unknown, or malformed.")
		return
	}
	t := s.issue(id, key, granted)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	fakeserver.WriteJSON(w, http.StatusOK, map[string]any{
		"access_token": t.AccessToken, "token_type": "Bearer",
		"expires_in": int64(s.lifetime / time.Second), "scope": strings.Join(t.Scopes, " "),
		"created_at": t.IssuedAt.Unix(),
	})
}

// grant returns the scopes a token request gets: those asked for, or
// "public" when none are; false when the key does not hold one of them.
func grant(key *apiKey, scope string) (map[string]bool, bool) {
	asked := strings.Fields(scope)
	if len(asked) == 0 {
		asked = []string{"public"}
	}
	out := map[string]bool{}
	for _, sc := range asked {
		if !scopes[sc] || key.scopes != nil && !key.scopes[sc] {
			return nil, false
		}
		out[sc] = true
	}
	return out, true
}

// issue makes a token; the caller holds s.mu.
func (s *Server) issue(clientID string, key *apiKey, granted map[string]bool) *token {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	now := s.Server.Now()
	t := &token{
		Token: Token{
			AccessToken: base64.RawURLEncoding.EncodeToString(b), ClientID: clientID,
			Scopes: sortedKeys(granted), IssuedAt: now, ExpiresAt: now.Add(s.lifetime),
		},
		legacy: key.scopes == nil, granted: granted, seq: len(s.tokens),
	}
	s.tokens[t.AccessToken] = t
	return t
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// authorize checks the Bearer token of a /v1 call and that it holds scope.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, scope string) bool {
	scheme, value, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	now := s.Now()
	s.mu.Lock()
	t := s.tokens[strings.TrimSpace(value)]
	s.mu.Unlock()
	switch {
	case !strings.EqualFold(scheme, "bearer") || t == nil:
		invalidToken(w, "The access token is invalid")
		return false
	case !now.Before(t.ExpiresAt):
		invalidToken(w, "The access token expired")
		return false
	case !t.legacy && !t.granted[scope]:
		w.Header().Set("WWW-Authenticate", `Bearer realm="Doorkeeper", error="insufficient_scope"`)
		fakeserver.WriteJSON(w, http.StatusForbidden, map[string]string{
			"error": "insufficient_scope", "error_description": "This action needs the " + scope + " scope.",
		})
		return false
	}
	return true
}

func invalidToken(w http.ResponseWriter, desc string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="Doorkeeper", error="invalid_token", error_description="`+desc+`"`)
	tokenError(w, http.StatusUnauthorized, "invalid_token", desc)
}

func tokenError(w http.ResponseWriter, status int, code, desc string) {
	fakeserver.WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
}
