package main

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// VPC flow model: network interfaces of a few roles (load balancers, web servers, bastion, NAT gateway,
// application and database servers, workers) in two accounts; east-west traffic between tiers with
// return records, egress to AWS and the internet, web clients reaching the load balancers, and internet
// scanners hitting the public interfaces on well-known ports (mostly REJECT), sometimes sweeping many
// ports of one interface. Records use the default version 2 format.

const vpcHeader = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"

// ENI roles.
const (
	roleLB = iota
	roleWeb
	roleBastion
	roleNAT
	roleApp
	roleDB
	roleWorker
	nRoles
)

var vpcRoleWeight = newWeighted([]float64{roleLB: 8, roleWeb: 10, roleBastion: 2, roleNAT: 4, roleApp: 40, roleDB: 10, roleWorker: 26})

// vpcENI is one network interface.
type vpcENI struct {
	id      string
	account string
	ip      string
	role    int
}

// vpcPort is a destination port with its protocol.
type vpcPort struct {
	port  int
	proto int
}

var vpcScanPorts = []vpcPort{
	{22, 6}, {23, 6}, {80, 6}, {443, 6}, {3389, 6}, {445, 6}, {8080, 6}, {21, 6}, {25, 6}, {1433, 6}, {3306, 6},
	{5432, 6}, {5900, 6}, {6379, 6}, {9200, 6}, {2375, 6}, {8443, 6}, {8888, 6}, {5555, 6}, {81, 6}, {8000, 6},
	{7547, 6}, {37215, 6}, {139, 6}, {135, 6}, {1723, 6}, {111, 6}, {5060, 17}, {123, 17}, {161, 17}, {53, 17},
	{1900, 17}, {0, 1}, {-1, 6},
}

var vpcScanPortWeight = newWeighted([]float64{20, 10, 8, 6, 8, 7, 5, 2, 2, 2, 3, 2, 2, 3, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 3, 5})

// vpcRecord is one flow record before formatting.
type vpcRecord struct {
	eni            *vpcENI
	src, dst       string
	sport, dport   int
	proto          int
	packets, bytes int64
	start, end     int64
	reject, noData bool
	skipData       bool
}

// vpcFlow generates flow log records.
type vpcFlow struct {
	r        *rand.Rand
	now      float64
	meanGap  float64
	enis     [nRoles][]*vpcENI
	all      []*vpcENI
	scanners []string
	scanPick weighted
	clients  []string
	clientPk weighted
	remotes  []string // AWS endpoints and SaaS the instances call
	pending  []vpcRecord
	kinds    weighted
}

func newVPCFlow(r *rand.Rand) *vpcFlow {
	g := &vpcFlow{r: r, now: float64(baseTime.Unix()), meanGap: 1.0 / 3000}
	accounts := []string{"482913607251", "739104582216"}
	for i := range 160 {
		role := vpcRoleWeight.pick(r)
		e := &vpcENI{id: "eni-0" + hexString(r, 16), account: accounts[min(i%5, 1)], ip: privateIP(r, r.IntN(4)), role: role}
		g.enis[role] = append(g.enis[role], e)
		g.all = append(g.all, e)
	}
	for role := range nRoles {
		if len(g.enis[role]) == 0 {
			e := &vpcENI{id: "eni-0" + hexString(r, 16), account: accounts[0], ip: privateIP(r, 0), role: role}
			g.enis[role] = append(g.enis[role], e)
			g.all = append(g.all, e)
		}
	}
	for range 4000 {
		g.scanners = append(g.scanners, randPublicIP(r, nil))
	}
	g.scanPick = newWeighted(zipfWeights(len(g.scanners), 1.1))
	for range 20000 {
		g.clients = append(g.clients, randPublicIP(r, nil))
	}
	g.clientPk = newWeighted(zipfWeights(len(g.clients), 0.8))
	for range 300 {
		g.remotes = append(g.remotes, randPublicIP(r, []int{3, 13, 18, 34, 35, 52, 54, 104, 140, 142, 151, 162}))
	}
	// internal, egress, web clients, scanners, port sweep, NODATA, SKIPDATA
	g.kinds = newWeighted([]float64{40, 20, 15, 20, 0.08, 1, 0.05})
	return g
}

func (g *vpcFlow) eni(role int) *vpcENI {
	l := g.enis[role]
	return l[g.r.IntN(len(l))]
}

// ephemeral returns a client port: Linux range mostly, Windows range sometimes.
func (g *vpcFlow) ephemeral() int {
	if g.r.IntN(5) == 0 {
		return 49152 + g.r.IntN(16384)
	}
	return 32768 + g.r.IntN(28232)
}

// lognormal returns a positive integer around exp(mu) with spread sigma, at least lo.
func (g *vpcFlow) lognormal(mu, sigma float64, lo int64) int64 {
	v := int64(math.Exp(mu + sigma*g.r.NormFloat64()))
	return max(v, lo)
}

func (g *vpcFlow) appendEvent(b []byte) []byte {
	if len(g.pending) == 0 {
		g.fill()
	}
	rec := g.pending[0]
	g.pending = g.pending[1:]
	return appendVPC(b, &rec)
}

// fill adds the records of the next flow (or sweep) to pending.
func (g *vpcFlow) fill() {
	r := g.r
	g.now += expInterval(r, g.meanGap)
	now := int64(g.now)
	start := now - int64(r.IntN(45))
	end := start + int64(r.IntN(60))
	g.pending = g.pending[:0]
	base := vpcRecord{start: start, end: end}
	switch g.kinds.pick(r) {
	case 0: // east-west: client tier to server tier, both directions, seen on one of the two ENIs
		var cli, srv *vpcENI
		var port int
		switch r.IntN(6) {
		case 0, 1:
			cli, srv, port = g.eni(roleApp), g.eni(roleDB), []int{5432, 3306, 6379}[r.IntN(3)]
		case 2:
			cli, srv, port = g.eni(roleLB), g.eni(roleApp), []int{8080, 8443, 3000}[r.IntN(3)]
		case 3:
			cli, srv, port = g.eni(roleWorker), g.eni(roleDB), []int{5432, 6379, 9092}[r.IntN(3)]
		case 4:
			cli, srv, port = g.eni(roleApp), g.eni(roleApp), []int{8080, 9090, 50051}[r.IntN(3)]
		default:
			cli, srv, port = g.eni(roleBastion), g.eni([]int{roleApp, roleDB, roleWorker}[r.IntN(3)]), 22
		}
		eph := g.ephemeral()
		obs := cli
		if r.IntN(2) == 0 {
			obs = srv
		}
		pk := g.lognormal(2.5, 1.4, 1)
		fwd := base
		fwd.eni, fwd.src, fwd.dst, fwd.sport, fwd.dport, fwd.proto = obs, cli.ip, srv.ip, eph, port, 6
		fwd.packets, fwd.bytes = pk, pk*min(g.lognormal(5, 0.6, 52), 9001)
		rev := base
		rev.eni, rev.src, rev.dst, rev.sport, rev.dport, rev.proto = obs, srv.ip, cli.ip, port, eph, 6
		rpk := max(1, pk+int64(r.IntN(int(pk)+1))-pk/2)
		rev.packets, rev.bytes = rpk, rpk*min(g.lognormal(6.3, 0.6, 52), 9001)
		g.pending = append(g.pending, fwd, rev)
	case 1: // egress to the internet (HTTPS mostly) from app, worker or NAT
		src := g.eni([]int{roleApp, roleWorker, roleNAT, roleWeb}[r.IntN(4)])
		dst := g.remotes[r.IntN(len(g.remotes))]
		port, proto := 443, 6
		switch x := r.IntN(20); {
		case x == 0:
			port = 80
		case x == 1:
			port, proto = 53, 17
		case x == 2:
			port, proto = 123, 17
		}
		eph := g.ephemeral()
		pk := g.lognormal(2.8, 1.5, 1)
		fwd := base
		fwd.eni, fwd.src, fwd.dst, fwd.sport, fwd.dport, fwd.proto = src, src.ip, dst, eph, port, proto
		fwd.packets, fwd.bytes = pk, pk*min(g.lognormal(5.2, 0.7, 40), 1500)
		rev := base
		rev.eni, rev.src, rev.dst, rev.sport, rev.dport, rev.proto = src, dst, src.ip, port, eph, proto
		rpk := max(1, pk+int64(r.IntN(int(pk)+1)))
		rev.packets, rev.bytes = rpk, rpk*min(g.lognormal(6.6, 0.5, 40), 1500)
		g.pending = append(g.pending, fwd, rev)
	case 2: // web clients to the load balancers
		lb := g.eni(roleLB)
		cli := g.clients[g.clientPk.pick(r)]
		port := 443
		if r.IntN(10) == 0 {
			port = 80
		}
		eph := 1024 + r.IntN(64511)
		pk := g.lognormal(2.3, 1.2, 1)
		fwd := base
		fwd.eni, fwd.src, fwd.dst, fwd.sport, fwd.dport, fwd.proto = lb, cli, lb.ip, eph, port, 6
		fwd.packets, fwd.bytes = pk, pk*min(g.lognormal(5.5, 0.6, 40), 1500)
		rev := base
		rev.eni, rev.src, rev.dst, rev.sport, rev.dport, rev.proto = lb, lb.ip, cli, port, eph, 6
		rpk := max(1, pk*2-int64(r.IntN(int(pk)+1)))
		rev.packets, rev.bytes = rpk, rpk*min(g.lognormal(6.9, 0.4, 40), 1500)
		g.pending = append(g.pending, fwd, rev)
	case 3: // a scanner probes a public interface
		g.pending = append(g.pending, g.probe(base, g.scanners[g.scanPick.pick(r)], g.publicENI(), vpcScanPorts[vpcScanPortWeight.pick(r)]))
	case 4: // port sweep: one scanner, one interface, many ports within seconds
		src := g.scanners[g.scanPick.pick(r)]
		eni := g.publicENI()
		n := 20 + r.IntN(300)
		for i := range n {
			rec := base
			rec.start = start + int64(i/50)
			rec.end = rec.start + int64(r.IntN(3))
			g.pending = append(g.pending, g.probe(rec, src, eni, vpcPort{1 + r.IntN(65535), 6}))
		}
	case 5:
		rec := base
		rec.eni, rec.noData = g.all[r.IntN(len(g.all))], true
		g.pending = append(g.pending, rec)
	default:
		rec := base
		rec.eni, rec.skipData = g.all[r.IntN(len(g.all))], true
		g.pending = append(g.pending, rec)
	}
}

// publicENI returns an interface reachable from the internet.
func (g *vpcFlow) publicENI() *vpcENI {
	return g.eni([]int{roleLB, roleWeb, roleWeb, roleBastion, roleNAT}[g.r.IntN(5)])
}

// probe makes one scanner record: rejected unless the port is open on that kind of interface.
func (g *vpcFlow) probe(base vpcRecord, src string, eni *vpcENI, p vpcPort) vpcRecord {
	r := g.r
	rec := base
	rec.eni, rec.src, rec.dst, rec.proto = eni, src, eni.ip, p.proto
	port := p.port
	if port < 0 {
		port = 1024 + r.IntN(64511)
	}
	if p.proto == 1 {
		rec.sport, rec.dport = 0, 0
	} else {
		rec.sport, rec.dport = 1024+r.IntN(64511), port
	}
	open := (port == 443 || port == 80) && (eni.role == roleLB || eni.role == roleWeb) ||
		port == 22 && eni.role == roleBastion
	rec.reject = !open
	rec.packets = 1 + int64(r.IntN(3))
	switch {
	case p.proto == 1:
		rec.bytes = rec.packets * 84
	case p.proto == 17:
		rec.bytes = rec.packets * int64(40+r.IntN(200))
	case open:
		rec.packets = g.lognormal(2, 1, 3)
		rec.bytes = rec.packets * min(g.lognormal(4.8, 0.5, 40), 1500)
	default:
		rec.bytes = rec.packets * int64([]int{40, 44, 52, 60}[r.IntN(4)])
	}
	return rec
}

// appendVPC formats one record in the default format.
func appendVPC(b []byte, rec *vpcRecord) []byte {
	b = append(b, "2 "...)
	b = append(b, rec.eni.account...)
	b = append(b, ' ')
	b = append(b, rec.eni.id...)
	if rec.noData || rec.skipData {
		b = append(b, " - - - - - - - "...)
		b = strconv.AppendInt(b, rec.start, 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, rec.end, 10)
		if rec.noData {
			return append(b, " - NODATA"...)
		}
		return append(b, " - SKIPDATA"...)
	}
	b = append(b, ' ')
	b = append(b, rec.src...)
	b = append(b, ' ')
	b = append(b, rec.dst...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(rec.sport), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(rec.dport), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(rec.proto), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, rec.packets, 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, rec.bytes, 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, rec.start, 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, rec.end, 10)
	if rec.reject {
		return append(b, " REJECT OK"...)
	}
	return append(b, " ACCEPT OK"...)
}
