package importertest

// Templates copied verbatim from testdata/nmap/lab-top100-sV.xml (nmap 7.93,
// "nmap -sV --top-ports 100"), with the address, MAC address and PTR name
// of each host replaced by @IP@, @MAC@ and @NAME@. hostWeb is web01 (ssh
// and http open, 98 closed ports); hostBuild is build02 (ssh and http-alt
// open, one filtered port, 97 closed).

const nmapHeader = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>
<!-- Nmap 7.93 scan initiated Wed Nov 25 03:24:35 2026 as: nmap -sV -&#45;top-ports 100 -oX generated.xml 10.0.0.0/8 -->
<nmaprun scanner="nmap" args="nmap -sV -&#45;top-ports 100 -oX generated.xml 10.0.0.0/8" start="1795577075" startstr="Wed Nov 25 03:24:35 2026" version="7.93" xmloutputversion="1.05">
<scaninfo type="syn" protocol="tcp" numservices="100" services="7,9,13,21-23,25-26,37,53,79-81,88,106,110-111,113,119,135,139,143-144,179,199,389,427,443-445,465,513-515,543-544,548,554,587,631,646,873,990,993,995,1025-1029,1110,1433,1720,1723,1755,1900,2000-2001,2049,2121,2717,3000,3128,3306,3389,3986,4899,5000,5009,5051,5060,5101,5190,5357,5432,5631,5666,5800,5900,6000-6001,6646,7070,8000,8008-8009,8080-8081,8443,8888,9100,9999-10000,32768,49152-49157"/>
<verbose level="0"/>
<debugging level="0"/>
`

const hostWeb = `<host starttime="1795577076" endtime="1795577083"><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="@IP@" addrtype="ipv4"/>
<address addr="@MAC@" addrtype="mac" vendor="QEMU virtual NIC"/>
<hostnames>
<hostname name="@NAME@" type="PTR"/>
</hostnames>
<ports><extraports state="closed" count="98">
<extrareasons reason="reset" count="98" proto="tcp" ports="7,9,13,21,23,25-26,37,53,79,81,88,106,110-111,113,119,135,139,143-144,179,199,389,427,443-445,465,513-515,543-544,548,554,587,631,646,873,990,993,995,1025-1029,1110,1433,1720,1723,1755,1900,2000-2001,2049,2121,2717,3000,3128,3306,3389,3986,4899,5000,5009,5051,5060,5101,5190,5357,5432,5631,5666,5800,5900,6000-6001,6646,7070,8000,8008-8009,8080-8081,8443,8888,9100,9999-10000,32768,49152-49157"/>
</extraports>
<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="ssh" product="OpenSSH" version="9.2p1 Debian 2+deb12u3" extrainfo="protocol 2.0" ostype="Linux" method="probed" conf="10"><cpe>cpe:/a:openbsd:openssh:9.2p1</cpe><cpe>cpe:/o:linux:linux_kernel</cpe></service></port>
<port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="http" product="SimpleHTTPServer" version="0.6" extrainfo="Python 3.11.7" method="probed" conf="10"><cpe>cpe:/a:python:simplehttpserver:0.6</cpe></service></port>
</ports>
<times srtt="9" rttvar="3" to="100000"/>
</host>
`

const hostBuild = `<host starttime="1795577076" endtime="1795577083"><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="@IP@" addrtype="ipv4"/>
<address addr="@MAC@" addrtype="mac" vendor="Oracle VirtualBox virtual NIC"/>
<hostnames>
<hostname name="@NAME@" type="PTR"/>
</hostnames>
<ports><extraports state="closed" count="97">
<extrareasons reason="reset" count="97" proto="tcp" ports="7,9,13,21,23,25-26,37,53,79-81,88,106,110-111,113,119,135,139,143-144,179,199,389,427,443-445,465,513-515,543-544,548,554,587,631,646,873,990,993,995,1025-1029,1110,1433,1720,1723,1755,1900,2000-2001,2049,2121,2717,3000,3128,3306,3389,3986,4899,5000,5009,5051,5060,5101,5190,5357,5432,5631,5666,5800,5900,6000-6001,6646,7070,8000,8008-8009,8081,8443,8888,9100,10000,32768,49152-49157"/>
</extraports>
<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="ssh" product="OpenSSH" version="8.4p1 Debian 5+deb11u3" extrainfo="protocol 2.0" ostype="Linux" method="probed" conf="10"><cpe>cpe:/a:openbsd:openssh:8.4p1</cpe><cpe>cpe:/o:linux:linux_kernel</cpe></service></port>
<port protocol="tcp" portid="8080"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="http" product="SimpleHTTPServer" version="0.6" extrainfo="Python 3.11.7" method="probed" conf="10"><cpe>cpe:/a:python:simplehttpserver:0.6</cpe></service></port>
<port protocol="tcp" portid="9999"><state state="filtered" reason="no-response" reason_ttl="0"/><service name="abyss" method="table" conf="3"/></port>
</ports>
<times srtt="8" rttvar="0" to="100000"/>
</host>
`
