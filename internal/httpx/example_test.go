package httpx_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/rostersync/rostersync/internal/httpx"
)

// A vendor client builds one httpx.Client per credential and calls DoJSON.
func ExampleClient_DoJSON() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-123456" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/api/v1/users/42":
			fmt.Fprint(w, `{"id":"42","email":"ana@example.com"}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"no such user"}`)
		}
	}))
	defer srv.Close()

	token := httpx.Secret("tok-123456")
	c, err := httpx.New(httpx.Config{
		Vendor:    "acme",
		BaseURL:   srv.URL + "/api/v1",
		Limit:     httpx.Limit{Requests: 100, Per: time.Minute, Burst: 5},
		Authorize: func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token.Reveal()) },
		Secrets:   []string{token.Reveal()},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	var user struct{ ID, Email string }
	if _, err := c.DoJSON(context.Background(), "GET", "users/42", nil, nil, &user); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(user.ID, user.Email)

	_, err = c.DoJSON(context.Background(), "GET", "users/7", nil, nil, &user)
	fmt.Println(errors.Is(err, httpx.ErrNotFound), err)
	// Output:
	// 42 ana@example.com
	// true acme: GET /api/v1/users/7: 404 no such user
}
