package httpx

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestRequestSecretsRedacted: a value listed in Request.Secrets (a
// password in a form body) that the vendor echoes is redacted from the
// error under every verb and from the log record, and only for that call.
func TestRequestSecretsRedacted(t *testing.T) {
	const pw = "Hunter2-Passw0rd"
	s := &script{steps: []http.HandlerFunc{
		reply(400, "", `{"message":"password `+pw+` is too weak"}`),
		reply(400, "", `{"message":"password `+pw+` is too weak"}`),
	}}
	srv := newServer(t, s)
	var logs logRecords
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.Logger = logs.logger() })
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "users", Body: []byte("password=x"), Secrets: []string{pw, ""}})
	if err == nil {
		t.Fatal("no error")
	}
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), logs.String()} {
		if strings.Contains(text, pw) {
			t.Errorf("password in %q", text)
		}
	}
	if !strings.Contains(err.Error(), "password REDACTED is too weak") {
		t.Errorf("err = %v", err)
	}
	_, err = c.Do(context.Background(), &Request{Method: "POST", Path: "users", Body: []byte("password=x")})
	if err == nil || !strings.Contains(err.Error(), pw) {
		t.Errorf("a call without Secrets redacted another call's: %v", err)
	}
}
