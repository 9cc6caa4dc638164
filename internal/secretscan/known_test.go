package secretscan_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
	"github.com/rostersync/rostersync/internal/secretscan"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Known takes secret-named string constants and variables from test files
// and fake packages, and nothing from the SDK's own code, testdata, or
// constants whose names are not a secret's.
func TestKnown(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"vendor1/client_test.go": `package vendor1
const (
	testPassword = "s3cret-Passw0rd!"
	fixtureSignature, otherThing = "56491dd9c2b352bc", "not-a-secret-at-all"
	shortKey = "abc"
)
func TestX() { const key = "inner-key-0123456789" }
var apiToken = "tok-" + "joined"
`,
		"vendor1/client.go":              `package vendor1; const cacheKey = "meta/fields"`,
		"vendor1/vendor1test/server.go":  `package vendor1test; const APIKey = "fake-api-key-424242"; const msgWeakPassword = "Password is weak"`,
		"vendor1/testdata/x_test.go":     `package x; const secret = "in-testdata-0000"`,
		"vendor1/vendor1test/broken.txt": `const secret = "not go"`,
	})
	got, err := secretscan.Known(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []secretscan.Secret{
		{Name: "vendor1.fixtureSignature", Value: "56491dd9c2b352bc"},
		{Name: "vendor1.key", Value: "inner-key-0123456789"},
		{Name: "vendor1.testPassword", Value: "s3cret-Passw0rd!"},
		{Name: "vendor1test.APIKey", Value: "fake-api-key-424242"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Known (-want +got):\n%s", diff)
	}
}

// Known finds, in this module, every credential a fake accepts: the scan
// of the suite's output looks for them all.
func TestKnownFindsTheFakesCredentials(t *testing.T) {
	got, err := secretscan.Known("../..")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, s := range got {
		have[s.Value] = true
	}
	for name, v := range map[string]string{
		"bamboohrtest.DefaultAPIKey": bamboohrtest.DefaultAPIKey, "hibobtest.ServiceUserToken": hibobtest.ServiceUserToken,
		"learnamptest.ClientSecret": learnamptest.ClientSecret, "litmostest.APIKey": litmostest.APIKey,
		"talenthrtest.APIKey": talenthrtest.APIKey, "talentlmstest.APIKey": talentlmstest.APIKey,
	} {
		if !have[v] {
			t.Errorf("Known misses %s", name)
		}
	}
	if len(got) < 20 {
		t.Errorf("Known found %d secrets in the module's tests, want the suite's (over 20)", len(got))
	}
}

// Signatures computes what the vendors' own Sign functions compute over the
// golden payloads: HiBob's over the body, BambooHR's over the body and an
// empty timestamp.
func TestSignaturesMatchTheVendors(t *testing.T) {
	root := t.TempDir()
	body := "{\n  \"type\": \"employee.updated\"\n}\n"
	writeFiles(t, root, map[string]string{"v/testdata/webhook_a.json": body, "v/testdata/other.json": "{}"})
	key := secretscan.Secret{Name: "v.webhookSecret", Value: "whsec-0123456789"}
	sigs, err := secretscan.Signatures(root, []secretscan.Secret{key})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, s := range sigs {
		if !s.Exact {
			t.Errorf("%s is not Exact", s.Name)
		}
		have[s.Value] = true
	}
	compact := `{"type":"employee.updated"}`
	for what, v := range map[string]string{
		"hibob.Sign":              hibob.Sign(key.Value, []byte(body)),
		"hibob.Sign, compacted":   hibob.Sign(key.Value, []byte(compact)),
		"bamboohr.Sign":           bamboohr.Sign(key.Value, []byte(body), ""),
		"bamboohr.Sign compacted": bamboohr.Sign(key.Value, []byte(compact), ""),
	} {
		if !have[v] {
			t.Errorf("Signatures misses %s", what)
		}
	}
	if len(sigs) != 8 { // 2 bodies × 2 hashes × 2 encodings; other.json is no webhook
		t.Errorf("%d signatures, want 8", len(sigs))
	}
}
