package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run passes a clean verbose log, and fails a log that leaks a secret, one
// with too few passed tests, and a module with no secret to look for.
func TestRun(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("v/v_test.go", `package v; const webhookSecret = "whsec-planted-0001"`)
	write("v/testdata/webhook_a.json", `{"a":1}`)
	clean := write("logs/clean.log", "=== RUN   TestA\n--- PASS: TestA (0.00s)\n--- PASS: TestB (0.00s)\nok  \tv\t0.1s\n")
	leak := write("logs/leak.log", "--- PASS: TestA (0.00s)\n    a_test.go:9: secret whsec-planted-0001\n--- PASS: TestB (0.00s)\n")
	// HMAC-SHA256 of {"a":1} under the secret, in hex, as a test might print it.
	sig := write("logs/sig.log", "--- PASS: TestA (0.00s)\n--- PASS: TestB (0.00s)\nX-Signature: 7a6ab1e4b3a8a8a9d0c3a4fd6b3ad5ef8a9c0d2c0f8f1e2b4c6d8e0a1b3c5d7e\n")
	tests := []struct {
		name      string
		root      string
		minPassed int
		logs      []string
		wantErr   string
	}{
		{"clean", root, 2, []string{clean}, ""},
		{"leak", root, 2, []string{clean, leak}, "secret(s) in the output"},
		{"too few passed tests", root, 5, []string{clean}, "passed tests"},
		{"no log", root, 1, nil, "no log"},
		{"no secrets in the module", t.TempDir(), 1, []string{clean}, "no secret found"},
		{"a signature that is not a golden one", root, 2, []string{sig}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(io.Discard, tt.root, tt.minPassed, tt.logs)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("run = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}
