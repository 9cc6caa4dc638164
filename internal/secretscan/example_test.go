package secretscan_test

import (
	"fmt"
	"strings"

	"github.com/rostersync/rostersync/internal/secretscan"
)

// A test's output leaks an API key inside a Basic-auth header; the scan
// names the line and the form, and never prints the key.
func ExampleScan() {
	secrets := []secretscan.Secret{{Name: "bamboohrtest.DefaultAPIKey", Value: "e254c96d97a12dc561f56d8713e58ac6c2a8c166"}}
	log := "=== RUN   TestGetEmployee\n" +
		"    client_test.go:40: request: Authorization: Basic ZTI1NGM5NmQ5N2ExMmRjNTYxZjU2ZDg3MTNlNThhYzZjMmE4YzE2Njp4\n" +
		"--- PASS: TestGetEmployee (0.00s)\n"
	found, err := secretscan.Scan(strings.NewReader(log), secrets)
	if err != nil {
		panic(err)
	}
	for _, f := range found {
		fmt.Println(f)
	}
	// Output:
	// line 2: bamboohrtest.DefaultAPIKey (base64)
}
