package learnamptest

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/internal/fakeserver"
)

// writeError answers Learn Amp's error body {"error": msg}
// (https://developers.learnamp.com/#errors).
func writeError(w http.ResponseWriter, status int, msg string) {
	fakeserver.WriteJSON(w, status, map[string]string{"error": msg})
}

func notFound(w http.ResponseWriter) { writeError(w, http.StatusNotFound, "Not found") }

// problems collects validation failures in the order found, as Learn Amp
// reports them: {"error": "email is missing, email is empty",
// "fullErrors": {"email": ["is missing", "is empty"]}}.
type problems struct {
	msgs   []string
	fields map[string][]string
	// alone is a failure Learn Amp reports without fullErrors (mutually
	// exclusive fields, an unknown manager email); the first one wins.
	alone string
}

func (p *problems) add(field, msg string) {
	if p.fields == nil {
		p.fields = map[string][]string{}
	}
	p.msgs = append(p.msgs, field+" "+msg)
	p.fields[field] = append(p.fields[field], msg)
}

// only records a failure that Learn Amp answers with an error text alone.
func (p *problems) only(msg string) {
	if p.alone == "" {
		p.alone = msg
	}
}

func (p *problems) failed() bool { return len(p.msgs) > 0 || p.alone != "" }

// reply answers 400 with the failures.
func (p *problems) reply(w http.ResponseWriter) {
	if len(p.msgs) == 0 {
		writeError(w, http.StatusBadRequest, p.alone)
		return
	}
	fakeserver.WriteJSON(w, http.StatusBadRequest, map[string]any{
		"error": strings.Join(p.msgs, ", "), "fullErrors": p.fields,
	})
}

// taken answers a duplicate unique value the way Rails validation does
// (documented for integrationExternalId).
func taken(w http.ResponseWriter, prefix, field, human string) {
	fakeserver.WriteJSON(w, http.StatusBadRequest, map[string]any{
		"error":      prefix + human + " has already been taken",
		"fullErrors": map[string][]string{field: {"has already been taken"}},
	})
}

// exclusive reports whether more than one of names is present, and
// keeps Grape's text for it ("managerId, managerEmail are mutually exclusive").
func exclusive(b *body, names ...string) bool {
	var set []string
	for _, n := range names {
		if b.has(n) {
			set = append(set, n)
		}
	}
	if len(set) > 1 {
		b.exclusiveMsg = strings.Join(set, ", ") + " are mutually exclusive"
		return true
	}
	return false
}

// exclusiveReply answers the mutual-exclusion failure: 400, the text alone.
func (b *body) exclusiveReply(w http.ResponseWriter) {
	writeError(w, http.StatusBadRequest, b.exclusiveMsg)
}

// paging reads page and perPage: page from 1, perPage at most MaxPerPage.
func paging(w http.ResponseWriter, r *http.Request) (page, per int, ok bool) {
	q := r.URL.Query()
	page, per = 1, DefaultPerPage
	var p problems
	for _, f := range []struct {
		name string
		dst  *int
	}{{"page", &page}, {"perPage", &per}} {
		if v := q.Get(f.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				p.add(f.name, "is invalid")
				continue
			}
			*f.dst = n
		}
	}
	if p.failed() {
		p.reply(w)
		return 0, 0, false
	}
	return page, min(per, MaxPerPage), true
}

// pageOf sets the paging headers for items and returns the page asked for.
func pageOf[T any](w http.ResponseWriter, items []T, page, per int) []T {
	total := len(items)
	h := w.Header()
	h.Set("Total", strconv.Itoa(total))
	h.Set("Per-Page", strconv.Itoa(per))
	h.Set("Total-Pages", strconv.Itoa((total+per-1)/per))
	return fakeserver.Page(items, (page-1)*per, per)
}
