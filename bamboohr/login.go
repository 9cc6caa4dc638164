package bamboohr

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/rostersync/rostersync/internal/httpx"
)

// Login errors; Login wraps one of them.
var (
	// ErrLoginRefused: BambooHR declined the user, password or application
	// key (403, or success:false).
	ErrLoginRefused = errors.New("bamboohr: login refused")
	// ErrPasswordLoginDisabled: the company enforces single sign-on, so
	// BambooHR answers 200 with a plain-text error instead of a key
	// (https://documentation.bamboohr.com/reference/login). Create an API key in
	// BambooHR and paste it instead.
	ErrPasswordLoginDisabled = errors.New("bamboohr: password login is disabled for this company (single sign-on)")
)

// Credentials are what Login exchanges for an API key.
type Credentials struct {
	// User is the admin's email or username.
	User string
	// Password is used for this one request; Login neither keeps nor logs it.
	Password Secret
	// ApplicationKey is the partner application key BambooHR issues to
	// Marketplace partners (https://documentation.bamboohr.com/reference/login).
	// Without one, Login cannot work.
	ApplicationKey Secret
	// DeviceID optionally ties the key to a device.
	DeviceID string
}

// LoginResult is a successful login.
type LoginResult struct {
	// Key is the new API key: pass Key.Reveal() to New and store it safely.
	Key Secret
	// UserID is the BambooHR user the key acts as.
	UserID int
	// EmployeeID is the user's employee record, nil if none is linked.
	EmployeeID *int
	// APIURL is the base URL BambooHR suggests, when it sends one.
	APIURL string
}

type loginReply struct {
	Success    bool   `json:"success"`
	UserID     Value  `json:"userId"`
	EmployeeID Value  `json:"employeeId"`
	Key        string `json:"key"`
	APIURL     string `json:"apiUrl"`
}

// Login exchanges an admin's credentials and a partner application key for
// an API key (POST v1/login, https://documentation.bamboohr.com/reference/login).
// The endpoint is deprecated
// and partner-gated: the normal way to connect is an API key the admin
// creates in BambooHR and pastes, given to New. Each call probably mints a
// new key, so call Login once per connection and keep the key.
//
// Errors wrap ErrLoginRefused or ErrPasswordLoginDisabled where BambooHR
// says so; no error or log line carries the password, application key or
// the key returned.
func Login(ctx context.Context, subdomain string, cr Credentials, opts ...Option) (*LoginResult, error) {
	if !subdomainRe.MatchString(subdomain) {
		return nil, fmt.Errorf("bamboohr: login: subdomain %q is not a BambooHR company domain", truncate(subdomain, 80))
	}
	if cr.User == "" || cr.Password.Reveal() == "" || cr.ApplicationKey.Reveal() == "" {
		return nil, errors.New("bamboohr: login: user, password and application key are all required")
	}
	secrets := []string{cr.Password.Reveal(), cr.ApplicationKey.Reveal()}
	hc, err := newHTTP(subdomain, opts, nil, secrets)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(ctx, loginRequest(cr))
	if err != nil {
		if errors.Is(err, ErrForbidden) {
			return nil, fmt.Errorf("%w: check the user, password and application key (mobile application keys are refused): %w", ErrLoginRefused, err)
		}
		return nil, fmt.Errorf("bamboohr: login: %w", err)
	}
	return readLogin(resp, secrets)
}

func loginRequest(cr Credentials) *httpx.Request {
	form := url.Values{
		"applicationKey": {cr.ApplicationKey.Reveal()},
		"user":           {cr.User},
		"password":       {cr.Password.Reveal()},
	}
	if cr.DeviceID != "" {
		form.Set("deviceId", cr.DeviceID)
	}
	return &httpx.Request{
		Method:      http.MethodPost,
		Path:        "v1/login",
		Header:      http.Header{"Accept": {"application/json"}},
		Body:        []byte(form.Encode()),
		ContentType: "application/x-www-form-urlencoded",
	}
}

func readLogin(resp *httpx.Response, secrets []string) (*LoginResult, error) {
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	body := bytes.TrimSpace(resp.Body)
	if len(body) > 0 && body[0] == '<' {
		// XML, should BambooHR ignore Accept: never echoed, as it may hold the key.
		return readLoginXML(body)
	}
	if ct != "application/json" && (len(body) == 0 || body[0] != '{') {
		// SSO companies get 200 with a plain-text error
		// (https://documentation.bamboohr.com/reference/login).
		msg := httpx.Redact(truncate(strings.TrimSpace(string(body)), 200), secrets...)
		return nil, fmt.Errorf("%w: BambooHR answered %q", ErrPasswordLoginDisabled, msg)
	}
	var r loginReply
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("bamboohr: login: decode response: %w", err)
	}
	if !r.Success || r.Key == "" {
		return nil, fmt.Errorf("%w: success is false", ErrLoginRefused)
	}
	res := &LoginResult{Key: Secret(r.Key), APIURL: r.APIURL}
	res.UserID, _ = r.UserID.Int()
	if id, err := r.EmployeeID.Int(); err == nil {
		res.EmployeeID = &id
	}
	return res, nil
}

// loginXML is the XML answer (https://documentation.bamboohr.com/reference/login):
// <auth><response>authenticated
// </response><userId/><employeeId/><key/></auth>, or response "declined".
type loginXML struct {
	XMLName    xml.Name `xml:"auth"`
	Response   string   `xml:"response"`
	UserID     string   `xml:"userId"`
	EmployeeID string   `xml:"employeeId"`
	Key        string   `xml:"key"`
}

func readLoginXML(body []byte) (*LoginResult, error) {
	var r loginXML
	if err := xml.Unmarshal(body, &r); err != nil {
		return nil, errors.New("bamboohr: login: response is XML or HTML but not a login answer")
	}
	key := strings.TrimSpace(r.Key)
	if !strings.EqualFold(strings.TrimSpace(r.Response), "authenticated") || key == "" {
		return nil, fmt.Errorf("%w: response is not \"authenticated\"", ErrLoginRefused)
	}
	res := &LoginResult{Key: Secret(key)}
	res.UserID, _ = String(r.UserID).Int()
	if id, err := String(r.EmployeeID).Int(); err == nil {
		res.EmployeeID = &id
	}
	return res, nil
}
