package runner

import (
	"errors"
	"strings"
	"testing"
)

var testVars = []Var{
	{Name: "HR_DOMAIN"},
	{Name: "HR_KEY", Alt: "key"},
	{Name: "HR_USER", Alt: "login"},
	{Name: "HR_PASSWORD", Alt: "login"},
	{Name: "HR_BASE_URL", Kind: Optional},
	{Name: "LMS_KEY"},
	{Name: "HR_WEBHOOK_KEY", Kind: ForServe},
}

func TestRealAccounts(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		real bool
		err  string // "" for none
	}{
		{"nothing: fakes", nil, false, ""},
		{"blank values count as unset", map[string]string{"HR_DOMAIN": "  ", "LMS_KEY": ""}, false, ""},
		{"the webhook key alone: fakes", map[string]string{"HR_WEBHOOK_KEY": "k"}, false, ""},
		{"a key", map[string]string{"HR_DOMAIN": "acme", "HR_KEY": "k", "LMS_KEY": "k"}, true, ""},
		{"a login", map[string]string{"HR_DOMAIN": "acme", "HR_USER": "u", "HR_PASSWORD": "p", "LMS_KEY": "k"}, true, ""},
		{"with an optional", map[string]string{"HR_DOMAIN": "acme", "HR_KEY": "k", "LMS_KEY": "k", "HR_BASE_URL": "u"}, true, ""},
		{"an optional alone", map[string]string{"HR_BASE_URL": "https://x"}, false,
			"HR_BASE_URL set, but no credentials: set the real accounts' variables too (all of HR_DOMAIN, LMS_KEY, " +
				"and either HR_KEY or all of HR_USER, HR_PASSWORD), or unset HR_BASE_URL to run on the built-in fakes"},
		{"missing the alternative", map[string]string{"HR_DOMAIN": "acme", "LMS_KEY": "k"}, false,
			"missing environment variables HR_KEY (HR_DOMAIN, LMS_KEY set)"},
		{"half a login", map[string]string{"HR_USER": "u"}, false,
			"missing environment variables HR_DOMAIN, LMS_KEY, HR_PASSWORD (HR_USER set)"},
		{"both alternatives", map[string]string{"HR_KEY": "k", "HR_USER": "u"}, false,
			"both HR_KEY and HR_USER are set: give one of HR_KEY or all of HR_USER, HR_PASSWORD, not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			real, err := realAccounts(testVars, Env{func(k string) string { return tt.env[k] }})
			if real != tt.real || (err == nil) != (tt.err == "") || (err != nil && !strings.HasPrefix(err.Error(), tt.err)) {
				t.Errorf("realAccounts = %v, %v; want %v, %q", real, err, tt.real, tt.err)
			}
			if err != nil && !errors.Is(err, ErrUsage) {
				t.Errorf("%v is not a usage error", err)
			}
		})
	}
}

func TestEnvGet(t *testing.T) {
	e := Env{func(string) string { return "  pass word  " }}
	if e.Get("X") != "pass word" || e.Raw("X") != "  pass word  " {
		t.Errorf("Get %q, Raw %q", e.Get("X"), e.Raw("X"))
	}
}
