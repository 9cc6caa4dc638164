package runner

import (
	"errors"
	"strings"
	"testing"
)

// Flags that contradict each other, or would do nothing together, are
// refused, naming both.
func TestConflictingFlags(t *testing.T) {
	value := map[string]string{"serve": "127.0.0.1:0", "only": "1", "plan": "p.json", "plan-out": "p.json",
		"report": "r.csv", "map": "m.json"}
	for _, c := range conflicts {
		var args []string
		for _, f := range []string{c.a, c.b} {
			args = append(args, "-"+f)
			if v, ok := value[f]; ok {
				args = append(args, v)
			}
		}
		r := &run{p: &Program{Name: "x", Webhook: &Webhook{}}}
		_, err := r.parse(args)
		if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "-"+c.a+" and -"+c.b) {
			t.Errorf("%q: %v, want a usage error naming both", args, err)
		}
	}
}

// Without a webhook receiver there is no -serve.
func TestNoServeWithoutWebhook(t *testing.T) {
	r := &run{p: &Program{Name: "x"}}
	if _, err := r.parse([]string{"-serve", ":0"}); err == nil || !strings.Contains(err.Error(), "-serve") {
		t.Errorf("-serve without a receiver: %v", err)
	}
}
