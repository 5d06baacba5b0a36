package dev.portcullis.ops;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Breaks a valid {@link Probe} in one of the ways clients and attackers do: parameters dropped, repeated, overlong,
 * filled with junk or too many; the wrong content type, method, path or credentials; binary or oversized bodies;
 * broken JSON; corrupted tokens, cookies and DPoP proofs; raw bytes and bad percent-encoding in the request line.
 */
final class Mutator {

    private static final String[] JUNK = {"", " ", "\u0000", "\r\n", "%", "%zz", "'\"<script>alert(1)</script>", "../../etc/passwd",
            "\u202e\u0645\u0631\u062d\u0628\u0627", "\uD83D\uDE00\uD83D\uDE00", "\uFFFD", "null", "[]", "{}", "-1", "1e309",
            "NaN", "true", "\\", "a b c", "http://127.0.0.1:1/x", "urn:", "openid openid openid", "S256", "plain",
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", "a.b.c", "....", "*", "${jndi:ldap://127.0.0.1:1/a}", "%00", "\t"};
    private static final String[] NAMES = {"grant_type", "client_id", "client_secret", "scope", "code", "redirect_uri",
            "code_verifier", "refresh_token", "token", "subject_token", "subject_token_type", "resource", "audience", "state",
            "nonce", "response_type", "prompt", "max_age", "request_uri", "request", "dpop_jkt", "login_hint", "id_token_hint"};

    private Mutator() {
    }

    static void mutate(Probe probe, Random random) {
        List<String[]> params = !probe.form.isEmpty() ? probe.form : probe.query;
        int kind = random.nextInt(18);
        switch (kind) {
            case 0 -> {
                if (params.isEmpty()) {
                    mutate(probe, random);
                    return;
                }
                params.remove(random.nextInt(params.size()));
                probe.mutation = "parameter dropped";
            }
            case 1 -> {
                if (params.isEmpty()) {
                    mutate(probe, random);
                    return;
                }
                params.add(params.get(random.nextInt(params.size())).clone());
                probe.mutation = "parameter repeated";
            }
            case 2 -> {
                int[] lengths = {65, 257, 513, 1025, 2049, 4097, 8193, 16385, 70_000};
                String name = params.isEmpty() ? NAMES[random.nextInt(NAMES.length)] : params.get(random.nextInt(params.size()))[0];
                params.removeIf(pair -> pair[0].equals(name));
                params.add(new String[] {name, "x".repeat(lengths[random.nextInt(lengths.length)])});
                probe.mutation = "overlong " + name;
            }
            case 3 -> {
                String name = params.isEmpty() ? NAMES[random.nextInt(NAMES.length)] : params.get(random.nextInt(params.size()))[0];
                params.removeIf(pair -> pair[0].equals(name));
                params.add(new String[] {name, junk(random)});
                probe.mutation = "junk in " + name;
            }
            case 4 -> {
                params.add(new String[] {random.nextBoolean() ? NAMES[random.nextInt(NAMES.length)] : "n".repeat(1 + random.nextInt(90)),
                        junk(random)});
                probe.mutation = "extra parameter";
            }
            case 5 -> {
                for (int i = 0; i < 65 + random.nextInt(40); i++) {
                    params.add(new String[] {"p" + i, "v"});
                }
                probe.mutation = "too many parameters";
            }
            case 6 -> {
                String[] types = {null, "text/plain", "application/json", "multipart/form-data; boundary=x",
                        "application/x-www-form-urlencoded; charset=ISO-8859-1", "application/xml", "*/*", "\u00ff"};
                probe.contentType = types[random.nextInt(types.length)];
                if (probe.contentType == null && probe.body == null && probe.form.isEmpty()) {
                    probe.contentType = "text/plain";
                }
                probe.mutation = "content type " + probe.contentType;
            }
            case 7 -> {
                byte[] bytes = new byte[random.nextInt(5000)];
                random.nextBytes(bytes);
                probe.body = bytes;
                probe.mutation = "binary body";
            }
            case 8 -> {
                String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
                probe.method = methods[random.nextInt(methods.length)];
                probe.mutation = "method " + probe.method;
            }
            case 9 -> {
                String[] values = {"Basic", "Basic !!!", "Basic " + b64(":"), "Basic " + b64("ops-web"), "Basic " + b64("a:b:c"),
                        "Bearer", "Bearer " + junk(random), "Bearer a.b.c", "DPoP x", "Negotiate abc", "Basic " + "A".repeat(9000),
                        "Basic " + b64("%zz:%zz"), "Basic " + b64("ops-web:" + "s".repeat(600))};
                probe.headers.put("Authorization", values[random.nextInt(values.length)]);
                probe.mutation = "Authorization header";
            }
            case 10 -> {
                String[] tenants = {"NOPE", "OPS-X", "ops", "A".repeat(300), "OPS-U/..", "%2e%2e", "OPS-C"};
                probe.path = probe.path.replace("OPS-U", tenants[random.nextInt(tenants.length)].replace("%2e", "."))
                        + (random.nextInt(4) == 0 ? "/" : "");
                if (probe.path.contains("/admin/api")) {
                    probe.path = probe.path.replace("/tenants/OPS", "/tenants/" + tenants[random.nextInt(tenants.length)]);
                }
                probe.mutation = "path";
            }
            case 11 -> raw(probe, random);
            case 12 -> json(probe, random);
            case 13 -> corruptToken(probe, params, random);
            case 14 -> {
                String[] cookies = {"portcullis_session=" + junk(random), "portcullis_session=" + "A".repeat(5000), "=; ;;",
                        "portcullis_csrf=x; portcullis_session=y", "\u00e9=\u00e9"};
                probe.headers.put("Cookie", cookies[random.nextInt(cookies.length)]);
                probe.mutation = "cookie";
            }
            case 15 -> {
                String[] proofs = {junk(random), "a.b.c", "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6Im5vbmUifQ.e30.", "x".repeat(5000),
                        "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIn19.e30.c2ln"};
                probe.headers.put("DPoP", proofs[random.nextInt(proofs.length)].replace("\r", "").replace("\n", "")
                        .replace("\u0000", ""));
                probe.mutation = "DPoP header";
            }
            case 16 -> {
                probe.form.clear();
                probe.body = ("grant_type=client_credentials&scope=" + "s".repeat(70_000)).getBytes(StandardCharsets.UTF_8);
                probe.contentType = "application/x-www-form-urlencoded";
                probe.mutation = "body over 64 KiB";
            }
            default -> {
                probe.headers.put(random.nextBoolean() ? "X-Forwarded-For" : "Forwarded", junk(random).replace("\r", "")
                        .replace("\n", "").replace("\u0000", "") + ", 2001:db8::" + random.nextInt(9999));
                probe.mutation = "forwarding header";
            }
        }
    }

    /** Over a plain socket: bad percent-encoding, raw bytes or spaces in the target, or a body that is not what it says. */
    private static void raw(Probe probe, Random random) {
        String[] tails = {"?a=%zz", "?%", "?scope=%E0%A4%A", "?a=\u00ff\u00fe", "%2F..%2F..%2F", "?x=" + "%41".repeat(3000),
                "?client_id=a&client_id=b", ";jsessionid=1", "/%00", "?q=%C0%AF", "#frag", "?a=%u0041"};
        probe.raw = true;
        probe.rawTarget = probe.target() + tails[random.nextInt(tails.length)];
        if (random.nextBoolean() && probe.form.size() > 0) {
            probe.body = (Probe.encode(probe.form) + "&x=%GG&y=%").getBytes(StandardCharsets.ISO_8859_1);
        }
        probe.mutation = "raw request";
    }

    private static void json(Probe probe, Random random) {
        String[] bodies = {"{", "[]", "null", "\"a\"", "{\"client_name\":1}", "{\"redirect_uris\":\"x\"}", "[".repeat(5000),
                "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}", "{\"client_name\":\"" + "x".repeat(100_000) + "\"}",
                "{\"name\":null,\"platform\":\"web\"}", "{\"enabled\":\"yes\"}", "{\"scopes\":[1,2,3]}", "{\"__proto__\":{}}",
                "{\"name\":\"a\",\"name\":\"b\"}", "{\"platform\":\"" + junk(random).replace("\"", "") + "\"}"};
        byte[] body = bodies[random.nextInt(bodies.length)].getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(6) == 0) {
            body = new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        }
        probe.form.clear();
        probe.body = body;
        probe.contentType = random.nextInt(4) == 0 ? "application/merge-patch+json" : "application/json";
        probe.mutation = "JSON body";
    }

    private static void corruptToken(Probe probe, List<String[]> params, Random random) {
        for (String[] pair : params) {
            if (pair[1].length() > 20) {
                char[] chars = pair[1].toCharArray();
                int at = random.nextInt(chars.length);
                chars[at] = chars[at] == 'A' ? 'B' : 'A';
                pair[1] = random.nextBoolean() ? new String(chars) : pair[1].substring(0, random.nextInt(pair[1].length()));
                probe.mutation = "corrupted " + pair[0];
                return;
            }
        }
        String auth = probe.headers.get("Authorization");
        if (auth != null && auth.length() > 20) {
            probe.headers.put("Authorization", auth.substring(0, auth.length() - 1 - random.nextInt(10)));
            probe.mutation = "corrupted credentials";
            return;
        }
        params.add(new String[] {"token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwiZXhwIjo5OTk5OTk5OTk5fQ."});
        probe.mutation = "unsigned token";
    }

    private static String junk(Random random) {
        if (random.nextInt(3) == 0) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < random.nextInt(64); i++) {
                text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x2FFFF) : 32 + random.nextInt(95));
            }
            return text.toString().replaceAll("[\\uD800-\\uDFFF]", "?");
        }
        return JUNK[random.nextInt(JUNK.length)];
    }

    private static String b64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
