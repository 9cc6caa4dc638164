package bamboohr_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
)

const (
	testPassword = "s3cret-Passw0rd!"
	testAppKey   = "partner-app-key-7f3a9c"
)

func loginServer(t *testing.T, l bamboohrtest.Login) *bamboohrtest.Server {
	t.Helper()
	srv := bamboohrtest.NewServer(t)
	l.User, l.Password, l.ApplicationKey = "admin@acme.com", testPassword, testAppKey
	srv.SetLogin(l)
	return srv
}

func login(srv *bamboohrtest.Server, password, appKey string) (*bamboohr.LoginResult, error) {
	return bamboohr.Login(ctx, srv.Subdomain, bamboohr.Credentials{
		User: "admin@acme.com", Password: bamboohr.Secret(password), ApplicationKey: bamboohr.Secret(appKey),
	}, bamboohr.WithBaseURL(srv.BaseURL()))
}

func TestLogin(t *testing.T) {
	srv := loginServer(t, bamboohrtest.Login{EmployeeID: 25})
	res, err := login(srv, testPassword, testAppKey)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Key.Reveal()) != 40 || res.EmployeeID == nil || *res.EmployeeID != 25 || res.UserID == 0 {
		t.Fatalf("result = %+v", res)
	}
	// The minted key works.
	c, err := bamboohr.New(srv.Subdomain, res.Key.Reveal(), bamboohr.WithBaseURL(srv.BaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Fields(ctx); err != nil {
		t.Fatalf("minted key refused: %v", err)
	}
	e := srv.Log().Entries()[0]
	if e.Path != "/api/v1/login" || e.Header.Get("Content-Type") != "application/x-www-form-urlencoded" ||
		e.Header.Get("Accept") != "application/json" || e.Header.Get("Authorization") != "" {
		t.Errorf("login request: %s %v", e.Path, e.Header)
	}
	if strings.Contains(res.Key.String(), res.Key.Reveal()) {
		t.Error("key printed")
	}
}

func TestLoginFailures(t *testing.T) {
	tests := []struct {
		name          string
		sso           bool
		password, app string
		want          error
	}{
		{name: "wrong password", password: "nope", app: testAppKey, want: bamboohr.ErrLoginRefused},
		{name: "wrong application key", password: testPassword, app: "other", want: bamboohr.ErrLoginRefused},
		{name: "sso company", sso: true, password: testPassword, app: testAppKey, want: bamboohr.ErrPasswordLoginDisabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := loginServer(t, bamboohrtest.Login{SSOOnly: tt.sso})
			_, err := login(srv, tt.password, tt.app)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			for _, secret := range []string{testPassword, testAppKey, tt.password, tt.app} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q leaks a credential", err)
				}
			}
		})
	}
	t.Run("success false", func(t *testing.T) {
		srv := loginServer(t, bamboohrtest.Login{})
		srv.AddFault(bamboohrtest.Fault{Status: 200, Body: `{"success":false}`})
		if _, err := login(srv, testPassword, testAppKey); !errors.Is(err, bamboohr.ErrLoginRefused) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("mobile key empty 403", func(t *testing.T) {
		srv := loginServer(t, bamboohrtest.Login{})
		srv.AddFault(bamboohrtest.Fault{Status: 403})
		if _, err := login(srv, testPassword, testAppKey); !errors.Is(err, bamboohr.ErrLoginRefused) || !errors.Is(err, bamboohr.ErrForbidden) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("missing input", func(t *testing.T) {
		srv := loginServer(t, bamboohrtest.Login{})
		if _, err := login(srv, "", testAppKey); err == nil {
			t.Error("empty password accepted")
		}
		if len(srv.Log().Entries()) != 0 {
			t.Error("request sent")
		}
	})
}

// An XML answer (should BambooHR ignore Accept) is read, never echoed:
// echoing it would put the new key in an error text
// (https://documentation.bamboohr.com/reference/login).
func TestLoginXMLAnswer(t *testing.T) {
	const key = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name, body string
		wantEmp    int // 0: nil
		want       error
	}{
		{name: "authenticated", body: `<?xml version="1.0"?><auth><response>authenticated</response><userId>1</userId><employeeId>25</employeeId><key>` + key + `</key></auth>`, wantEmp: 25},
		{name: "null employee", body: `<auth><response>authenticated</response><userId>1</userId><employeeId isNull="yes"/><key>` + key + `</key></auth>`},
		{name: "declined", body: `<auth><response>declined</response></auth>`, want: bamboohr.ErrLoginRefused},
		{name: "html with key", body: `<html><body>` + key + `</body></html>`, want: errors.New("any")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := loginServer(t, bamboohrtest.Login{})
			srv.AddFault(bamboohrtest.Fault{Status: 200, Body: tt.body})
			res, err := login(srv, testPassword, testAppKey)
			if tt.want != nil {
				if err == nil {
					t.Fatalf("no error, result %+v", res)
				}
				if strings.Contains(err.Error(), key) {
					t.Fatalf("error %q echoes the key", err)
				}
				if errors.Is(tt.want, bamboohr.ErrLoginRefused) && !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Key.Reveal() != key || res.UserID != 1 || (tt.wantEmp == 0) != (res.EmployeeID == nil) ||
				(res.EmployeeID != nil && *res.EmployeeID != tt.wantEmp) {
				t.Errorf("result = %+v (employee %v)", res, res.EmployeeID)
			}
		})
	}
}
