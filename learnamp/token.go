package learnamp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/rostersync/rostersync/internal/httpx"
)

// Token lifetimes (https://developers.learnamp.com/#authentication: the
// token response says "expires_in": 7200 and there is no refresh token).
const (
	// defaultLifetime is assumed when a token response gives no expires_in.
	defaultLifetime = 2 * time.Hour
	// renewBefore is how long before its expiry a token is renewed, so
	// that a call never starts with a token about to die in flight.
	renewBefore = time.Minute
)

// tokenSource fetches the client-credentials token through the httpx
// client (paced, retried, logged and redacted like every call) and keeps
// it until it is due for renewal.
//
// It wraps clientcredentials.Config.Token rather than the oauth2 package's
// own TokenSource: Token takes the caller's context (a token request ends
// when the call's context does), the expiry is judged on an injectable
// clock, and drop can discard a token Learn Amp refused.
type tokenSource struct {
	cfg   clientcredentials.Config
	http  *http.Client // carries token requests through httpx
	now   func() time.Time
	fetch chan struct{} // held by the one goroutine fetching a token

	mu  sync.Mutex
	cur *accessToken
}

type accessToken struct {
	value   Secret
	renewAt time.Time
}

func newTokenSource(hc *httpx.Client, cfg clientcredentials.Config, now func() time.Time) *tokenSource {
	return &tokenSource{
		cfg: cfg,
		http: &http.Client{
			Transport:     &httpx.Transport{Client: hc, Idempotent: true},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		now:   now,
		fetch: make(chan struct{}, 1),
	}
}

// Format prints the token source without its credentials.
func (ts *tokenSource) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "learnamp.tokenSource{url: %q}", ts.cfg.TokenURL)
}

// token returns the current token, fetching one when there is none or it
// is due for renewal. Concurrent callers wait for one fetch.
func (ts *tokenSource) token(ctx context.Context) (Secret, error) {
	if t := ts.valid(); t != "" {
		return t, nil
	}
	select {
	case ts.fetch <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("learnamp: waiting for an access token: %w", ctx.Err())
	}
	defer func() { <-ts.fetch }()
	if t := ts.valid(); t != "" { // another caller fetched it meanwhile
		return t, nil
	}
	t, err := ts.request(ctx)
	if err != nil {
		return "", err
	}
	ts.mu.Lock()
	ts.cur = t
	ts.mu.Unlock()
	return t.value, nil
}

// valid returns the current token if it is not due for renewal, else "".
func (ts *tokenSource) valid() Secret {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.cur == nil || !ts.now().Before(ts.cur.renewAt) {
		return ""
	}
	return ts.cur.value
}

// drop forgets used if it is still the current token, so that the next
// call fetches a new one; a token another caller renewed already stays.
func (ts *tokenSource) drop(used Secret) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.cur != nil && ts.cur.value == used {
		ts.cur = nil
	}
}

// request asks Learn Amp for a token. Its lifetime runs from before the
// request was sent, on the client's clock.
func (ts *tokenSource) request(ctx context.Context) (*accessToken, error) {
	sent := ts.now()
	tok, err := ts.cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, ts.http))
	if err != nil {
		return nil, &opError{op: "get access token", err: ts.tokenError(err)}
	}
	if tt := tok.TokenType; tt != "" && !strings.EqualFold(tt, "bearer") {
		return nil, fmt.Errorf("learnamp: get access token: POST /%s: token type %q, want Bearer", tokenPath, httpx.Redact(tt, tok.AccessToken))
	}
	life := lifetime(tok)
	return &accessToken{value: Secret(tok.AccessToken), renewAt: sent.Add(life - min(renewBefore, life/2))}, nil
}

// lifetime reads expires_in (seconds, a number or a string) from the raw
// token response; defaultLifetime when it is missing or not positive.
func lifetime(tok *oauth2.Token) time.Duration {
	var secs float64
	switch v := tok.Extra("expires_in").(type) {
	case float64:
		secs = v
	case string:
		secs, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
	}
	if secs <= 0 || secs > 366*24*3600 {
		return defaultLifetime
	}
	return time.Duration(secs * float64(time.Second))
}

// tokenError turns what the oauth2 package returned into the client's
// error. A refused request is the httpx error inside the *url.Error (the
// APIError, matching ErrUnauthorized or ErrInvalid). A *oauth2.RetrieveError
// is an error code in a 2xx reply, or a reply it could not read; its text
// would print the body, so only the code and description are kept, redacted.
func (ts *tokenSource) tokenError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		msg := strings.TrimSpace(re.ErrorCode + ": " + re.ErrorDescription)
		msg = strings.TrimSuffix(strings.TrimPrefix(msg, ": "), ":")
		if msg == "" {
			msg = "unreadable token reply"
		}
		return fmt.Errorf("POST /%s: %s: %w", tokenPath, httpx.Redact(msg, ts.cfg.ClientSecret), retrieveSentinel(re.ErrorCode))
	}
	return errors.New(httpx.Redact(err.Error(), ts.cfg.ClientSecret))
}

// retrieveSentinel maps an RFC 6749 §5.2 error code to a sentinel.
func retrieveSentinel(code string) error {
	switch code {
	case "invalid_client", "invalid_grant", "unauthorized_client":
		return ErrUnauthorized
	case "invalid_request", "invalid_scope", "unsupported_grant_type":
		return ErrInvalid
	}
	return ErrUnavailable
}
