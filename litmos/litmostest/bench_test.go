package litmostest_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// BenchmarkCreateUser creates users through the API on a fake that holds
// n already: each create checks the username and the manager, which an
// indexed fake does in the same time whatever n is (go test -bench
// CreateUser -benchtime 2000x).
func BenchmarkCreateUser(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("existing=%d", n), func(b *testing.B) {
			srv := litmostest.NewServer(b, litmostest.WithoutRateLimit())
			var mgr litmos.User
			for i := 0; i < n; i++ {
				mgr = srv.AddUser(litmos.User{UserName: fmt.Sprintf("seed%06d@example.com", i), LastName: "L", Active: true})
			}
			hc := srv.Client()
			url := srv.BaseURL() + "/users?source=bench&format=json"
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				body := fmt.Sprintf(`{"Id":"","UserName":"new%07d@example.com","Email":"new%07d@example.com","LastName":"N","Active":true,"ManagerId":%q}`, i, i, mgr.ID)
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(body)))
				req.Header.Set("apikey", litmostest.APIKey)
				req.Header.Set("Content-Type", "application/json")
				resp, err := hc.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					b.Fatalf("create: %d", resp.StatusCode)
				}
			}
		})
	}
}
