package hibob_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/hibob"
)

// TestSearchPeopleLargeCompany: the search has no paging, so a company of
// 10,000 answers with well over 10 MiB at once; the client must read it
// (the chaos suite, internal/chaos, found the 10 MiB cap every other call
// keeps).
func TestSearchPeopleLargeCompany(t *testing.T) {
	const n = 12000
	pad := strings.Repeat("x", 1000) // about what a person's fields weigh
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var b strings.Builder
		b.WriteString(`{"employees":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"%d","firstName":"F","surname":"S","email":"p%d@example.com","about":{"note":%q}}`, i+1, i, pad)
		}
		b.WriteString(`]}`)
		_, _ = w.Write([]byte(b.String()))
	}))
	t.Cleanup(srv.Close)
	c, err := hibob.New("SERVICE-1234", "token-for-the-large-company-test",
		hibob.WithBaseURL(srv.URL+"/v1"), hibob.WithRateLimit(hibob.Limit{}))
	if err != nil {
		t.Fatal(err)
	}
	people, err := c.SearchPeople(context.Background(), hibob.SearchParams{})
	if err != nil {
		t.Fatalf("SearchPeople: %v", err)
	}
	if len(people) != n {
		t.Errorf("%d people, want %d", len(people), n)
	}
}
