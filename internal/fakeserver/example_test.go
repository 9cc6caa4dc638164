package fakeserver_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/rostersync/rostersync/internal/fakeserver"
)

// counterAPI is a tiny vendor fake: POST /v1/count adds one, GET /v1/count reads.
type counterAPI struct {
	mu sync.Mutex
	n  int
}

func (c *counterAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if user, _, ok := fakeserver.BasicAuth(r); !ok || user != "key" {
		fakeserver.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "bad key"})
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.Method == http.MethodPost {
		c.n++
	}
	fakeserver.WriteJSON(w, http.StatusOK, map[string]int{"count": c.n})
}

func (c *counterAPI) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func Example() {
	api := &counterAPI{}
	srv := fakeserver.New(nil, api) // in a test: fakeserver.New(t, api)
	defer srv.Close()

	// The first POST is applied, but its reply is lost on the way back.
	srv.AddFault(fakeserver.Fault{Method: "POST", Path: "/v1/*", Times: 1, ApplyThenDrop: true})

	post := func() {
		req, _ := http.NewRequest("POST", srv.URL+"/v1/count", strings.NewReader("{}"))
		req.SetBasicAuth("key", "x")
		resp, err := srv.Client().Do(req)
		if err != nil {
			fmt.Println("POST failed; applied:", api.count())
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Printf("POST %d %s", resp.StatusCode, body)
	}
	post()
	post()

	fmt.Println("writes logged:", srv.Log().Count(fakeserver.IsWrite))
	// Output:
	// POST failed; applied: 1
	// POST 200 {"count":2}
	// writes logged: 2
}
