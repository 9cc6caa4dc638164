// Command secretscan fails when a log holds a secret the module's tests
// use: an API key, token, password or webhook secret from a test file or
// a fake, in any form it travels in, or a signature the tests can compute
// from the golden webhook payloads. .ci/run feeds it the whole suite's
// verbose output:
//
//	go run ./internal/secretscan/cmd/secretscan -root . -min-passed 500 race.log smoke.log
//
// It first proves it can see every secret (a planted copy of each must be
// found), and it refuses logs with fewer passed tests than -min-passed, so
// it cannot pass because it looked at nothing.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/rostersync/rostersync/internal/secretscan"
)

func main() {
	root := flag.String("root", ".", "the module's root directory")
	minPassed := flag.Int("min-passed", 1, `fewest "--- PASS" lines the logs must hold together`)
	flag.Parse()
	if err := run(os.Stdout, *root, *minPassed, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "secretscan:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, root string, minPassed int, logs []string) error {
	if len(logs) == 0 {
		return errors.New("no log to scan (usage: secretscan [-root DIR] [-min-passed N] LOG...)")
	}
	secrets, err := secretscan.Known(root)
	if err != nil {
		return err
	}
	if len(secrets) == 0 {
		return fmt.Errorf("no secret found in the tests under %s: a scan would pass anything", root)
	}
	sigs, err := secretscan.Signatures(root, secrets)
	if err != nil {
		return err
	}
	all := append(secrets, sigs...)
	if err := selfCheck(all); err != nil {
		return err
	}
	passed, lines, leaks := 0, 0, 0
	for _, name := range logs {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		lines += bytes.Count(b, []byte("\n"))
		passed += bytes.Count(b, []byte("--- PASS"))
		found, err := secretscan.Scan(bytes.NewReader(b), all)
		if err != nil {
			return err
		}
		text := strings.Split(string(b), "\n")
		for _, f := range found {
			leaks++
			line := secretscan.Mask(text[f.Line-1], all)
			if len(line) > 300 {
				line = line[:300] + "…"
			}
			fmt.Fprintf(os.Stderr, "%s:%d: %s (%s): %s\n", name, f.Line, f.Name, f.Form, line)
		}
	}
	if passed < minPassed {
		return fmt.Errorf("the logs hold %d passed tests, want at least %d: not the suite's verbose output", passed, minPassed)
	}
	if leaks > 0 {
		return fmt.Errorf("%d secret(s) in the output above (shown masked); no secret may reach a log, an error or a test's output", leaks)
	}
	fmt.Fprintf(w, "secretscan: %d secrets and %d signatures, none in %d lines of %d log(s) (%d passed tests)\n",
		len(secrets), len(sigs), lines, len(logs), passed)
	return nil
}

// selfCheck plants every secret in a line of its own, as is, and a
// non-exact one also inside Basic-auth Base64 at each offset and
// query-escaped, and requires the scan to find each of them.
func selfCheck(secrets []secretscan.Secret) error {
	var planted bytes.Buffer
	want := 0
	for _, s := range secrets {
		lines := []string{"planted " + s.Value + " here"}
		if !s.Exact {
			for _, user := range []string{"", "u", "us"} {
				lines = append(lines, "Authorization: Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+s.Value+":x")))
			}
			lines = append(lines, "GET /x?k="+url.QueryEscape(s.Value))
		}
		for _, l := range lines {
			planted.WriteString(l + "\n")
		}
		want += len(lines)
	}
	found, err := secretscan.Scan(&planted, secrets)
	if err != nil {
		return err
	}
	hit := map[int]bool{}
	for _, f := range found {
		hit[f.Line] = true
	}
	if len(hit) != want {
		sc := bufio.NewScanner(strings.NewReader(planted.String()))
		for n := 1; sc.Scan(); n++ {
			if !hit[n] {
				return fmt.Errorf("self-check: a planted secret went unseen on line %d of %d: %s", n, want, secretscan.Mask(sc.Text(), secrets))
			}
		}
	}
	return nil
}
