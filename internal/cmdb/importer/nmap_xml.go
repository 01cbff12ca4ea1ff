package importer

// The subset of nmap's XML output (nmap.dtd, xmloutputversion 1.05) that
// the import reads. Numbers are kept as strings and parsed when mapped, so
// one odd attribute becomes a problem of its host, not a failure of the
// whole file.

type nmapHost struct {
	Status    nmapStatus     `xml:"status"`
	Addresses []nmapAddress  `xml:"address"`
	Hostnames []nmapHostname `xml:"hostnames>hostname"`
	Ports     *nmapPorts     `xml:"ports"`
	OSMatches []nmapOSMatch  `xml:"os>osmatch"`
}

type nmapStatus struct {
	State  string `xml:"state,attr"`  // up, down, unknown, skipped
	Reason string `xml:"reason,attr"` // arp-response, syn-ack, user-set (-Pn), no-response...
}

type nmapAddress struct {
	Addr     string `xml:"addr,attr"`
	AddrType string `xml:"addrtype,attr"` // ipv4, ipv6, mac
	Vendor   string `xml:"vendor,attr"`
}

type nmapHostname struct {
	Name string `xml:"name,attr"`
	Type string `xml:"type,attr"` // user (given on the command line) or PTR
}

type nmapPorts struct {
	Ports []nmapPort       `xml:"port"`
	Extra []nmapExtraPorts `xml:"extraports"`
}

type nmapPort struct {
	Protocol string       `xml:"protocol,attr"`
	PortID   string       `xml:"portid,attr"`
	State    nmapState    `xml:"state"`
	Service  *nmapService `xml:"service"`
}

type nmapState struct {
	State  string `xml:"state,attr"`
	Reason string `xml:"reason,attr"`
}

type nmapService struct {
	Name      string   `xml:"name,attr"`
	Product   string   `xml:"product,attr"`
	Version   string   `xml:"version,attr"`
	ExtraInfo string   `xml:"extrainfo,attr"`
	Tunnel    string   `xml:"tunnel,attr"`
	Method    string   `xml:"method,attr"` // probed, or table: the name is only the usual service of the port
	CPE       []string `xml:"cpe"`
}

// nmapExtraPorts summarises ports nmap did not list one by one ("Not
// shown: 98 closed tcp ports").
type nmapExtraPorts struct {
	State string `xml:"state,attr"`
	Count string `xml:"count,attr"`
}

type nmapOSMatch struct {
	Name     string        `xml:"name,attr"`
	Accuracy string        `xml:"accuracy,attr"`
	Classes  []nmapOSClass `xml:"osclass"`
}

type nmapOSClass struct {
	Type     string   `xml:"type,attr"` // general purpose, router, switch, WAP, printer, phone...
	Vendor   string   `xml:"vendor,attr"`
	OSFamily string   `xml:"osfamily,attr"`
	OSGen    string   `xml:"osgen,attr"`
	CPE      []string `xml:"cpe"`
}

// nmapRunStats is the trailer nmap writes when a scan ends. A scan that was
// interrupted has none.
type nmapRunStats struct {
	Finished *struct {
		Exit     string `xml:"exit,attr"` // success or error
		ErrorMsg string `xml:"errormsg,attr"`
	} `xml:"finished"`
}
