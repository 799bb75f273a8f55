#!/usr/bin/perl
# KiteStacks e2e STAND-IN for a third-party image (the tag it carries is the one the homelab
# pins; what it is a stand-in for is in /kse2e/ref). It is NOT the application: it listens on
# the spec's port(s), answers every GET with a small JSON page naming itself, and emulates
# only the API calls the homelab's post-start steps make (Portainer's /api/auth and
# /api/settings, Kavita's account and settings API). Every request and every state change is
# logged to stdout ("kse2e-effect ..." lines count how often a post-start step changed it).
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;

$| = 1;
my $ref = do { local (@ARGV, $/) = ('/kse2e/ref'); my $r = <>; $r =~ s/\s+$//; $r };
my @ports = do { local (@ARGV, $/) = ('/kse2e/ports'); split /[\s,]+/, (<> // '') };
my %opt;
for (my $i = 0; $i < @ARGV; $i++) {
  # cloudflared: tunnel --metrics <addr:port> run; portainer: --admin-password-file <file>
  if ($ARGV[$i] eq '--metrics' && defined $ARGV[$i + 1]) { my ($p) = $ARGV[$i + 1] =~ /:(\d+)$/; push @ports, $p if $p; }
  if ($ARGV[$i] eq '--admin-password-file' && defined $ARGV[$i + 1]) { $opt{admin_password_file} = $ARGV[$i + 1]; }
}
my %seen;
@ports = grep { $_ && !$seen{$_}++ } @ports;
die "stand-in $ref: no port to listen on\n" unless @ports;

my $host = `hostname`; chomp $host;
# State changes also go to a file the test reads with `docker exec` (post-start steps ran once?).
my $effects = '/var/lib/kse2e/effects.log';
sub effect { my $line = "kse2e-effect @_\n"; print $line; if (open(my $fh, '>>', $effects)) { print $fh $line; close $fh; } chmod 0666, $effects; }
print "kse2e-standin ref=$ref ports=@ports args=@ARGV\n";
if ($ENV{TUNNEL_TOKEN_FILE}) {
  # cloudflared reads its token from this file (TunnelConnector); report what it holds.
  my $ok = open(my $fh, '<', $ENV{TUNNEL_TOKEN_FILE});
  my $token = $ok ? do { local $/; <$fh> } : '';
  my $len = length($token // '');
  effect("tunnel-token file=$ENV{TUNNEL_TOKEN_FILE} readable=" . ($ok ? 1 : 0) . " length=$len");
}

my %users;           # Kavita: username -> password
my $settings = '{"oidcConfig":{"authority":null,"clientId":null,"secret":null,"provisionAccounts":false,"requireVerifiedEmail":true,"autoLogin":false},"baseUrl":"/"}';
my $portainer_settings;

$SIG{TERM} = sub { print "kse2e-standin stopping\n"; exit 0 };
$SIG{PIPE} = 'IGNORE';

# linuxserver's FILE__<NAME> convention: the value of NAME is in that file (its init expands them).
for my $k (grep { /^FILE__/ } keys %ENV) {
  (my $name = $k) =~ s/^FILE__//;
  next if defined $ENV{$name};
  if (open(my $fh, '<', $ENV{$k})) { local $/; $ENV{$name} = <$fh>; close $fh; }
}

# An app configured with a MySQL/MariaDB database the BookStack way (DB_HOST, DB_PORT,
# DB_DATABASE, DB_USERNAME, DB_PASSWORD): create the one table a post-start step reads
# (BookStack's `roles`, with its admin role), as the app's migrations would. Nothing else of
# the app's schema exists.
if ($ENV{DB_HOST} && $ENV{DB_DATABASE} && $ENV{DB_USERNAME} && defined $ENV{DB_PASSWORD} && fork() == 0) {
  $ENV{MYSQL_PWD} = $ENV{DB_PASSWORD};
  my @cli = ('mariadb', '--skip-ssl', '-h', $ENV{DB_HOST}, '-P', $ENV{DB_PORT} // 3306, '-u', $ENV{DB_USERNAME}, $ENV{DB_DATABASE}, '-e',
    "CREATE TABLE IF NOT EXISTS roles (id INT AUTO_INCREMENT PRIMARY KEY, system_name VARCHAR(20) NOT NULL DEFAULT '', external_auth_id VARCHAR(180) NOT NULL DEFAULT ''); " .
    "INSERT INTO roles (system_name) SELECT 'admin' FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM roles WHERE system_name = 'admin')");
  for (1 .. 120) { if (system(@cli) == 0) { effect("db-migrated table=roles"); exit 0 } sleep 2 }
  print "kse2e-standin: database $ENV{DB_HOST} never answered\n";
  exit 1;
}

my $sel = IO::Select->new;
for my $p (@ports) {
  my $s = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => $p, Listen => 64, ReuseAddr => 1, Proto => 'tcp')
    or die "listen $p: $!\n";
  $sel->add($s);
}

# The field of a JSON object, as jq or printf wrote it (a string, or a bare number/literal).
sub field { my ($body, $name) = @_; return $1 if $body =~ /"\Q$name\E"\s*:\s*"((?:[^"\\]|\\.)*)"/; return $1 if $body =~ /"\Q$name\E"\s*:\s*([-\w.]+)/; return undef }
# A field of a multipart/form-data body (curl -F).
sub form_field { my ($body, $name) = @_; return $1 if $body =~ /name="\Q$name\E"\r?\n\r?\n(.*?)\r?\n--/s; return undef }
my @endpoints;   # Portainer: environments added through /api/endpoints

sub json_escape { my $s = shift; $s =~ s/(["\\])/\\$1/g; $s =~ s/\n/\\n/g; return $s }

sub respond {
  my ($c, $status, $body, $type) = @_;
  $type //= 'application/json';
  my %text = (200 => 'OK', 400 => 'Bad Request', 401 => 'Unauthorized', 404 => 'Not Found');
  print $c "HTTP/1.1 $status " . ($text{$status} // 'OK') . "\r\nContent-Type: $type\r\nContent-Length: " . length($body) .
    "\r\nConnection: close\r\nX-KiteStacks-Standin: $ref\r\n\r\n$body";
}

sub handle {
  my ($c, $port) = @_;
  local $SIG{ALRM} = sub { die "timeout\n" };
  alarm 10;
  my $line = <$c>;
  return unless defined $line;
  my ($method, $path) = $line =~ /^(\S+)\s+(\S+)/;
  my %h;
  while (my $l = <$c>) { last if $l =~ /^\r?\n$/; $h{lc $1} = $2 if $l =~ /^([^:]+):\s*(.*?)\r?$/; }
  my $body = '';
  print $c "HTTP/1.1 100 Continue\r\n\r\n" if lc($h{expect} // '') eq '100-continue';
  read($c, $body, $h{'content-length'}) if $h{'content-length'};
  alarm 0;
  print "kse2e-request $method $path port=$port\n";
  my $auth = $h{authorization} // '';

  # Portainer (post-start step: log in as admin, PUT the OAuth settings)
  if ($method eq 'POST' && $path eq '/api/auth') {
    my $pw = field($body, 'Password');
    my $want = '';
    if ($opt{admin_password_file} && open(my $fh, '<', $opt{admin_password_file})) { local $/; $want = <$fh>; }
    return respond($c, 401, '{"message":"Invalid credentials"}') unless defined $pw && length $want && $pw eq $want;
    return respond($c, 200, '{"jwt":"kse2e-portainer-jwt"}');
  }
  if ($method eq 'PUT' && $path eq '/api/settings') {
    return respond($c, 401, '{}') unless $auth eq 'Bearer kse2e-portainer-jwt';
    $portainer_settings = $body;
    my $m = field($body, 'AuthenticationMethod');
    effect("portainer-settings AuthenticationMethod=" . ($m // 'none'));
    return respond($c, 200, $body);
  }
  if ($path =~ m{^/api/endpoints(?:\?(.*))?$}) {
    return respond($c, 401, '{}') unless $auth eq 'Bearer kse2e-portainer-jwt';
    if ($method eq 'GET') {
      my ($want) = ($1 // '') =~ /(?:^|&)name=([^&]*)/;
      $want =~ s/%([0-9A-Fa-f]{2})/chr(hex($1))/ge if defined $want;
      my @list = grep { !defined $want || $_->{Name} eq $want } @endpoints;
      return respond($c, 200, '[' . join(',', map { '{"Id":' . $_->{Id} . ',"Name":"' . json_escape($_->{Name}) . '","URL":"' . json_escape($_->{URL}) . '"}' } @list) . ']');
    }
    if ($method eq 'POST') {
      my ($n, $u) = (form_field($body, 'Name'), form_field($body, 'URL'));
      return respond($c, 400, '{"message":"Name and URL required"}') unless defined $n && defined $u;
      push @endpoints, { Id => scalar(@endpoints) + 1, Name => $n, URL => $u };
      effect("portainer-endpoint name=$n url=$u");
      return respond($c, 200, '{"Id":' . scalar(@endpoints) . '}');
    }
  }
  # Kavita (post-start step: register/login the admin, rewrite the OIDC settings)
  if ($method eq 'POST' && $path eq '/api/account/register') {
    my ($u, $p) = (field($body, 'username'), field($body, 'password'));
    return respond($c, 400, '"registration closed"') if %users || !defined $u;
    $users{$u} = $p;
    effect("kavita-register user=$u");
    return respond($c, 200, '{}');
  }
  if ($method eq 'POST' && $path eq '/api/account/login') {
    my ($u, $p) = (field($body, 'username'), field($body, 'password'));
    return respond($c, 401, '"bad login"') unless defined $u && defined $users{$u} && $users{$u} eq $p;
    return respond($c, 200, '{"username":"' . json_escape($u) . '","token":"kse2e-kavita-token"}');
  }
  if ($path eq '/api/settings' && ($method eq 'GET' || $method eq 'POST')) {
    return respond($c, 401, '{}') unless $auth eq 'Bearer kse2e-kavita-token';
    if ($method eq 'POST') {
      $settings = $body;
      my $a = field($body, 'authority');
      effect("kavita-settings authority=" . ($a // 'none'));
    }
    return respond($c, 200, $settings);
  }
  return respond($c, 404, '{"error":"stand-in: no such API"}') if $method ne 'GET' && $method ne 'HEAD';
  respond($c, 200, '{"standin":"' . json_escape($ref) . '","container":"' . json_escape($host) . '","path":"' . json_escape($path) . '"}');
}

# One request at a time, in this process, so the emulated API state lives in one place; a
# client that stalls is dropped after 10 s (alarm in handle).
for (;;) {
  for my $s ($sel->can_read) {
    my $c = $s->accept or next;
    eval { handle($c, $s->sockport) };
    close $c;
  }
}
