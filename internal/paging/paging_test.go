package paging_test

import (
	"net/url"
	"testing"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

func TestLimit(t *testing.T) {
	cases := []struct {
		in, want int
		bad      bool
	}{
		{0, paging.DefaultLimit, false},
		{1, 1, false},
		{500, 500, false},
		{501, paging.MaxLimit, false},
		{1 << 40, paging.MaxLimit, false},
		{-1, paging.DefaultLimit, true},
	}
	for _, c := range cases {
		var fe errs.Fields
		if got := paging.Limit(&fe, c.in); got != c.want || (fe.Err() != nil) != c.bad {
			t.Errorf("Limit(%d) = %d, %v; want %d, error %v", c.in, got, fe.Err(), c.want, c.bad)
		}
		if got := paging.Clamp(c.in); got != c.want {
			t.Errorf("Clamp(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestFromQuery(t *testing.T) {
	cases := []struct {
		query  string
		strict paging.Page // what an API gets
		bad    bool        // the API refuses it
		loose  paging.Page // what a page people edit the URL of gets
	}{
		{"", paging.Page{Limit: 50}, false, paging.Page{Limit: 50}},
		{"cursor=abc&limit=20", paging.Page{Cursor: "abc", Limit: 20}, false, paging.Page{Cursor: "abc", Limit: 20}},
		{"limit=+500+", paging.Page{Limit: 500}, false, paging.Page{Limit: 500}},
		{"limit=501", paging.Page{Limit: 50}, true, paging.Page{Limit: 500}},
		{"limit=0", paging.Page{Limit: 50}, true, paging.Page{Limit: 50}},
		{"limit=-5", paging.Page{Limit: 50}, true, paging.Page{Limit: 50}},
		{"limit=ten&cursor=x", paging.Page{Cursor: "x", Limit: 50}, true, paging.Page{Cursor: "x", Limit: 50}},
	}
	for _, c := range cases {
		q, err := url.ParseQuery(c.query)
		if err != nil {
			t.Fatal(err)
		}
		var fe errs.Fields
		got := paging.FromQuery(q, &fe)
		if got != c.strict || (fe.Err() != nil) != c.bad {
			t.Errorf("%q strict: %+v, %v; want %+v, error %v", c.query, got, fe.Err(), c.strict, c.bad)
		}
		if c.bad && (len(fe) != 1 || fe[0].Field != "limit") {
			t.Errorf("%q: errors %v, want one on limit", c.query, fe)
		}
		if got := paging.FromQuery(q, nil); got != c.loose {
			t.Errorf("%q loose: %+v, want %+v", c.query, got, c.loose)
		}
	}
}

func TestTotalText(t *testing.T) {
	for _, c := range []struct {
		n      int
		capped bool
		want   string
	}{{0, false, "0"}, {999, false, "999"}, {1234, false, "1,234"}, {10000, true, "10,000+"}, {1234567, false, "1,234,567"}} {
		if got := paging.TotalText(c.n, c.capped); got != c.want {
			t.Errorf("TotalText(%d, %v) = %q, want %q", c.n, c.capped, got, c.want)
		}
	}
}
