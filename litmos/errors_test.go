package litmos_test

import (
	"context"
	"errors"
	"testing"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// A client's errors match the engine's sentinels with no translation, and
// errors.As tells one vendor's APIError from another's.
func TestErrorsMatchEngineSentinels(t *testing.T) {
	srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	c := srv.NewClient(t)
	_, err := c.GetUser(context.Background(), "nobody-here")
	if !errors.Is(err, syncengine.ErrNotFound) || !errors.Is(err, litmos.ErrNotFound) {
		t.Fatalf("404: err = %v, want it to match syncengine.ErrNotFound and litmos.ErrNotFound", err)
	}
	if syncengine.Retryable(err) {
		t.Errorf("Retryable(404) = true")
	}
	var lit *litmos.APIError
	if !errors.As(err, &lit) || lit.StatusCode != 404 {
		t.Errorf("errors.As(*litmos.APIError) = %v", lit)
	}
	var bhr *bamboohr.APIError
	if errors.As(err, &bhr) {
		t.Errorf("a Litmos answer reads as a BambooHR *APIError: %v", bhr)
	}

	srv.AddFault(litmostest.Fault{Method: "POST", Status: 409, Times: 1})
	_, err = c.CreateUser(context.Background(), litmos.User{UserName: "ana@example.com", LastName: "Ng"}, litmos.CreateUserParams{})
	if !errors.Is(err, syncengine.ErrConflict) || syncengine.Retryable(err) {
		t.Errorf("409: err = %v, want ErrConflict, not retryable", err)
	}
}
