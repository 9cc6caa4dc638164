package talentlms

import (
	"context"
)

// SiteInfo is the portal summary GET siteinfo returns. DateFormat is the
// setting every formatted date follows.
type SiteInfo struct {
	TotalUsers         int64
	TotalCourses       int64
	TotalCategories    int64
	TotalGroups        int64
	TotalBranches      int64
	MonthlyActiveUsers int64
	SignupMethod       string
	PaypalEmail        string
	DomainMap          string // the portal's custom domain, if one is mapped
	DateFormat         DateFormat
	// DateFormatRaw is date_format as sent; DateFormat is "" when it is not
	// one this client knows.
	DateFormatRaw string
	Extra         Extra
}

// GetSiteInfo returns the portal summary (GET siteinfo). It also teaches
// the client the portal's date format, unless WithDateFormat pinned one.
func (c *Client) GetSiteInfo(ctx context.Context) (*SiteInfo, error) {
	si, err := c.fetchSiteInfo(ctx)
	if err != nil {
		return nil, err
	}
	if si.DateFormat != "" {
		c.dfMu.Lock()
		if c.df == "" {
			c.df = si.DateFormat
		}
		c.dfMu.Unlock()
	}
	return si, nil
}

func (c *Client) fetchSiteInfo(ctx context.Context) (*SiteInfo, error) {
	body, err := c.get(ctx, "get site info", "siteinfo")
	if err != nil {
		return nil, err
	}
	o, err := decodeObject(body, "")
	if err != nil {
		return nil, wrapf(err, "get site info")
	}
	si := &SiteInfo{
		TotalUsers:         o.int("total_users"),
		TotalCourses:       o.int("total_courses"),
		TotalCategories:    o.int("total_categories"),
		TotalGroups:        o.int("total_groups"),
		TotalBranches:      o.int("total_branches"),
		MonthlyActiveUsers: o.int("monthly_active_users"),
		SignupMethod:       o.str("signup_method"),
		PaypalEmail:        o.str("paypal_email"),
		DomainMap:          o.str("domain_map"),
		DateFormatRaw:      o.str("date_format"),
	}
	if o.err != nil {
		return nil, wrapf(o.err, "get site info")
	}
	si.Extra = o.rest()
	if f, err := ParseDateFormat(si.DateFormatRaw); err == nil {
		si.DateFormat = f
	}
	return si, nil
}

// DateFormat returns the portal's date format: the one pinned with
// WithDateFormat or learnt from GET siteinfo, which it calls once if it
// must (concurrent callers wait for that one call). A date_format this
// client does not know is an error naming it.
func (c *Client) DateFormat(ctx context.Context) (DateFormat, error) {
	c.dfMu.Lock()
	defer c.dfMu.Unlock()
	if c.df != "" {
		return c.df, nil
	}
	si, err := c.fetchSiteInfo(ctx)
	if err != nil {
		return "", err
	}
	if si.DateFormat == "" {
		_, err := ParseDateFormat(si.DateFormatRaw)
		return "", wrapf(err, "read the portal's date format from siteinfo (pin it with WithDateFormat)")
	}
	c.df = si.DateFormat
	return c.df, nil
}
