package httpx

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// Settings holds the options every vendor client takes, with one
// validation for all: each vendor's Option type wraps a struct embedding
// Settings, and its With… functions call these setters, so that
// WithHTTPClient(nil) or a user agent with a line break is refused the
// same way by every client.
type Settings struct {
	BaseURL    string
	HTTPClient *http.Client
	Limit      Limit
	limitSet   bool
	Retry      RetryPolicy
	Logger     *slog.Logger
	UserAgent  string
}

// SetBaseURL checks that u is an absolute http(s) URL. The error shows u
// redacted (a proxy URL may carry credentials).
func (s *Settings) SetBaseURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || !p.IsAbs() || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
		return fmt.Errorf("base URL %q is not an absolute http(s) URL", Redact(u))
	}
	s.BaseURL = u
	return nil
}

// SetHTTPClient sets the client whose transport carries the requests; nil
// is an error (leave the option out for the default pooled client).
func (s *Settings) SetHTTPClient(c *http.Client) error {
	if c == nil {
		return errors.New("nil *http.Client (leave WithHTTPClient out for the default)")
	}
	s.HTTPClient = c
	return nil
}

// SetRateLimit paces the client's own requests; Requests 0 turns pacing off.
func (s *Settings) SetRateLimit(l Limit) error {
	if _, err := l.limiter(); err != nil {
		return fmt.Errorf("rate limit: %w", err)
	}
	s.Limit, s.limitSet = l, true
	return nil
}

// RateLimit returns the limit set with SetRateLimit, or def when none was.
func (s *Settings) RateLimit(def Limit) Limit {
	if s.limitSet {
		return s.Limit
	}
	return def
}

// SetRetry sets the retry policy (zero fields take the defaults, a
// negative MaxRetries turns retries off).
func (s *Settings) SetRetry(p RetryPolicy) error {
	if p.MinWait < 0 || p.MaxWait < 0 {
		return fmt.Errorf("retry policy: waits must not be negative (MinWait %s, MaxWait %s)", p.MinWait, p.MaxWait)
	}
	if p.MinWait > 0 && p.MaxWait > 0 && p.MinWait > p.MaxWait {
		return fmt.Errorf("retry policy: MinWait %s is more than MaxWait %s", p.MinWait, p.MaxWait)
	}
	s.Retry = p
	return nil
}

// SetLogger sets the debug logger; nil logs nothing.
func (s *Settings) SetLogger(l *slog.Logger) error {
	s.Logger = l
	return nil
}

// SetUserAgent sets the User-Agent header; it must be one line.
func (s *Settings) SetUserAgent(ua string) error {
	if strings.ContainsAny(ua, "\r\n") {
		return errors.New("user agent contains a line break")
	}
	s.UserAgent = ua
	return nil
}
