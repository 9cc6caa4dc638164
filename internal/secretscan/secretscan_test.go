package secretscan_test

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/internal/secretscan"
)

var planted = []secretscan.Secret{
	{Name: "fake.APIKey", Value: "e254c96d97a12dc561f56d8713e58ac6c2a8c166"},
	{Name: "fake.password", Value: "s3cret-Passw0rd!/+&="},
	{Name: "fake.token", Value: "tok>>>???>>>???"}, // its Base64 has + and /
}

// Every form a secret travels in is found, at any position in the line and
// at every Base64 offset, and reported by name and form.
func TestScanFindsPlantedSecrets(t *testing.T) {
	key, pw := planted[0].Value, planted[1].Value
	basic := func(user, pass string) string { return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass)) }
	tests := []struct {
		name string
		line string
		want []secretscan.Finding
	}{
		{"as is", "    client_test.go:12: got key " + key + " back", []secretscan.Finding{{1, "fake.APIKey", "as is"}}},
		{"in a query", "GET /v1/users?apikey=x&password=" + url.QueryEscape(pw) + " 200", []secretscan.Finding{{1, "fake.password", "query-escaped"}}},
		{"in a path", "GET /keys/" + url.PathEscape(pw) + "/x", []secretscan.Finding{{1, "fake.password", "path-escaped"}}},
		{"hex", "body " + hex.EncodeToString([]byte(pw)), []secretscan.Finding{{1, "fake.password", "hex"}}},
		{"basic auth, key as user", "Authorization: Basic " + basic(key, "x"), []secretscan.Finding{{1, "fake.APIKey", "base64"}}},
		{"basic auth, offset 1", "Authorization: Basic " + basic("a", key), []secretscan.Finding{{1, "fake.APIKey", "base64"}}},
		{"basic auth, offset 2", "Authorization: Basic " + basic("ab", key), []secretscan.Finding{{1, "fake.APIKey", "base64"}}},
		{"base64 of a password, offset 2", "Basic " + basic("u", pw), []secretscan.Finding{{1, "fake.password", "base64"}}},
		{"url-safe base64", "token=" + base64.URLEncoding.EncodeToString([]byte(planted[2].Value+"}")), []secretscan.Finding{{1, "fake.token", "base64url"}}},
		{"two in one line", key + " " + pw, []secretscan.Finding{{1, "fake.APIKey", "as is"}, {1, "fake.password", "as is"}}},
		{"clean", "--- PASS: TestAPIKeyNeverLogged (0.00s)", nil},
		{"a part is not the secret", "key " + key[:20], nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := secretscan.Scan(strings.NewReader(tt.line+"\n"), planted)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Scan(%q) (-want +got):\n%s", tt.line, diff)
			}
		})
	}
}

// Findings name the line they are on, and a finding's text never holds the
// value itself.
func TestScanReportsLinesWithoutValues(t *testing.T) {
	log := "=== RUN TestA\nok\nleaked " + planted[0].Value + "\n--- PASS: TestA\n" + strings.Repeat("x", 100_000) + planted[1].Value + "\n"
	got, err := secretscan.Scan(strings.NewReader(log), planted)
	if err != nil {
		t.Fatal(err)
	}
	want := []secretscan.Finding{{3, "fake.APIKey", "as is"}, {5, "fake.password", "as is"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	for _, f := range got {
		if s := f.String(); strings.Contains(s, planted[0].Value) || strings.Contains(s, planted[1].Value) {
			t.Errorf("finding %q shows the value", s)
		}
	}
}

func TestMask(t *testing.T) {
	line := "key=" + planted[0].Value + " auth=Basic " + base64.StdEncoding.EncodeToString([]byte("u:"+planted[1].Value))
	got := secretscan.Mask(line, planted)
	if strings.Contains(got, planted[0].Value) {
		t.Errorf("Mask left the key: %q", got)
	}
	if found, _ := secretscan.Scan(strings.NewReader(got), planted); len(found) != 0 {
		t.Errorf("Mask(%q) = %q, still holds %v", line, got, found)
	}
	if !strings.Contains(got, "key=[fake.APIKey]") {
		t.Errorf("Mask(%q) = %q, want the key's name in its place", line, got)
	}
}

// A value too short to look for is refused, not skipped: a scan that
// silently looked for nothing would pass anything.
func TestScanRefusesShortValues(t *testing.T) {
	if _, err := secretscan.Scan(strings.NewReader("x\n"), []secretscan.Secret{{Name: "short", Value: "abc"}}); err == nil {
		t.Fatal("a 3-byte secret was accepted")
	}
}

// An Exact secret (a signature) is found as a whole token, wherever it
// stands, and not inside a longer token.
func TestScanExact(t *testing.T) {
	sig := secretscan.Secret{Name: "hmac", Value: "IO7ownVY1YjUqDTX/gWxp6k+IRIQ8hFoMQ==", Exact: true}
	log := "Bob-Signature: " + sig.Value + "\n" + `{"sig":"` + sig.Value + `"}` + "\nxx" + sig.Value + "\n" + sig.Value[:20] + "\n"
	got, err := secretscan.Scan(strings.NewReader(log), []secretscan.Secret{sig})
	if err != nil {
		t.Fatal(err)
	}
	want := []secretscan.Finding{{1, "hmac", "as is"}, {2, "hmac", "as is"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
