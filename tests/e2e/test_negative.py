# SPDX-License-Identifier: Apache-2.0
"""One profile per policy rule a profile can trigger, the [policy] overrides,
and the profile errors that must never be silently accepted.

Rules of name-policy.md and whether a profile can trigger them:
  rdn-unknown, rdn-empty, rdn-whitespace, rdn-length, rdn-count,
  rdn-multivalued (`+` in the name= form), country-code, dc-ascii,
  dc-with-c, multiple-cn, cn-homoglyph, san-missing, dns-syntax,
  dns-length (the label limit; a name over 253 characters needs a line
  longer than inih reads, which is a profile error), dns-wildcard,
  dns-idn, dns-internal, dns-duplicate, domain-not-permitted, key-weak:
  tested below with the exact rule id and exit code.
Prevented by the generator, so a profile cannot trigger them as errors:
  rdn-order       the generator writes the table's order (a notice says so);
  cn-not-in-san   the CN, when a DNS name, is always added to the SAN;
  san-critical    with an empty subject the SAN is written critical;
  rdn-encoding    invalid UTF-8, NUL and control characters are refused by
                  the profile reader (exit 2, file:line) before any policy
                  check; a C that PrintableString cannot hold is country-code.
Each of these has a test asserting what the generator does instead.
"""

import os

import rctest

BASE_ROLE = """[role]
type = edge
fqdn = mail1.contoso.com
accepted_domains = contoso.com
"""
BASE_SUBJECT = """[subject]
name = C=US, O=Contoso Corp, CN=mail1.contoso.com
"""


def profile(role=BASE_ROLE, subject=BASE_SUBJECT, extra=""):
    return role + "\n" + subject + "\n" + extra


def with_names(*dns):
    return "[names]\n" + "".join("dns = %s\n" % d for d in dns)


# (test name, profile text, expected (severity, rule), exit code)
POLICY_CASES = [
    ("rdn_unknown", profile(subject="[subject]\nname = C=US, O=Contoso Corp, "
                            "title=Mail server, CN=mail1.contoso.com\n"),
     ("error", "rdn-unknown"), 1),
    ("rdn_empty_key", profile(subject='[subject]\nC = US\nO = ""\nCN = mail1.contoso.com\n'),
     ("error", "rdn-empty"), 1),
    ("rdn_empty_name_form", profile(subject="[subject]\nname = C=US, O=, CN=mail1.contoso.com\n"),
     ("error", "rdn-empty"), 1),
    ("rdn_length_o", profile(subject="[subject]\nO = %s\n" % ("x" * 65)),
     ("error", "rdn-length"), 1),
    ("rdn_length_o_multibyte", profile(subject="[subject]\nO = %s\n" % ("\u00f3" * 65)),
     ("error", "rdn-length"), 1),
    ("rdn_length_ou", profile(subject="[subject]\nOU = %s\n" % ("\u4e2d" * 20 + "o" * 45)),
     ("error", "rdn-length"), 1),
    ("rdn_length_cn", profile(subject="[subject]\nCN = %s\n" % (("Mail server " * 6)[:64] + "X")),
     ("error", "rdn-length"), 1),
    ("rdn_length_l", profile(subject="[subject]\nL = %s\n" % ("l" * 129)),
     ("error", "rdn-length"), 1),
    ("rdn_length_st", profile(subject="[subject]\nST = %s\n" % ("s" * 129)),
     ("error", "rdn-length"), 1),
    ("rdn_length_dc_total", profile(subject="[subject]\n" + "DC = %s\n" % ("d" * 60) * 4
                                    + "DC = %s\nCN = mail1.contoso.com\n" % ("d" * 16)),
     ("error", "rdn-length"), 1),
    ("rdn_count_o", profile(subject="[subject]\nname = C=US, O=Contoso, O=Fabrikam, "
                            "CN=mail1.contoso.com\n"),
     ("error", "rdn-count"), 1),
    ("rdn_count_c", profile(subject="[subject]\nname = C=US, C=CA, CN=mail1.contoso.com\n"),
     ("error", "rdn-count"), 1),
    ("country_code_usa", profile(subject="[subject]\nname = C=USA, CN=mail1.contoso.com\n"),
     ("error", "country-code"), 1),
    ("country_code_xx", profile(subject="[subject]\nC = XX\nCN = mail1.contoso.com\n"),
     ("error", "country-code"), 1),
    ("country_code_uk", profile(subject="[subject]\nC = UK\nCN = mail1.contoso.com\n"),
     ("error", "country-code"), 1),
    # An unescaped `+` in the name= form joins two attributes in one RDN.
    ("rdn_multivalued", profile(subject="[subject]\nname = C=US, O=Contoso Corp+OU=Mail, "
                                "CN=mail1.contoso.com\n"),
     ("error", "rdn-multivalued"), 1),
    ("dc_ascii", profile(subject="[subject]\nname = DC=contos\u00f3, DC=com, "
                         "CN=mail1.contoso.com\n"),
     ("error", "dc-ascii"), 1),
    ("san_missing", profile(role="[role]\ntype = custom\n",
                            subject="[subject]\nname = O=Contoso Corp, CN=Contoso Mail\n"),
     ("error", "san-missing"), 1),
    ("dns_syntax_underscore", profile(extra=with_names("mail_1.contoso.com")),
     ("error", "dns-syntax"), 1),
    ("dns_syntax_trailing_dot", profile(extra=with_names("mail.contoso.com.")),
     ("error", "dns-syntax"), 1),
    ("dns_syntax_leading_dash", profile(extra=with_names("-mail.contoso.com")),
     ("error", "dns-syntax"), 1),
    ("dns_syntax_empty_label", profile(extra=with_names("mail..contoso.com")),
     ("error", "dns-syntax"), 1),
    ("dns_syntax_ip_address", profile(extra=with_names("192.0.2.1")),
     ("error", "dns-syntax"), 1),
    ("dns_syntax_fqdn", profile(role=BASE_ROLE.replace("fqdn = mail1.contoso.com",
                                                       "fqdn = mail 1.contoso.com"),
                                subject="[subject]\nname = C=US, O=Contoso Corp\n"),
     ("error", "dns-syntax"), 1),
    ("dns_length_label", profile(extra=with_names("%s.contoso.com" % ("a" * 64))),
     ("error", "dns-length"), 1),
    ("dns_wildcard_tld", profile(extra=with_names("*.com")),
     ("error", "dns-wildcard"), 1),
    ("dns_wildcard_inner", profile(extra=with_names("mail.*.contoso.com")),
     ("error", "dns-wildcard"), 1),
    ("dns_wildcard_partial", profile(extra=with_names("w*.contoso.com")),
     ("error", "dns-wildcard"), 1),
    ("dns_wildcard_two", profile(extra=with_names("*.*.contoso.com")),
     ("error", "dns-wildcard"), 1),
    ("dns_idn", profile(extra=with_names("mail.m\u00fcller.de")),
     ("error", "dns-idn"), 1),
    ("domain_not_permitted", profile(
        role=BASE_ROLE.replace("contoso.com\n", "contoso.com, fabrikam.com\n"),
        extra="[policy]\npermitted_domains = contoso.com\n"),
     ("error", "domain-not-permitted"), 1),
    ("key_weak", profile(extra="[key]\ntype = rsa\nbits = 1024\n"),
     ("error", "key-weak"), 1),
    # Warnings and notices: the config is written, exit 0.
    ("rdn_whitespace", profile(subject='[subject]\nC = US\nO = " Contoso Corp"\n'
                                       "CN = mail1.contoso.com\n"),
     ("warning", "rdn-whitespace"), 0),
    ("dc_with_c", profile(subject="[subject]\nname = C=US, DC=contoso, DC=com, "
                          "CN=mail1.contoso.com\n"),
     ("warning", "dc-with-c"), 0),
    ("multiple_cn", profile(subject="[subject]\nname = C=US, CN=mail1.contoso.com, "
                            "CN=mail2.contoso.com\n"),
     ("warning", "multiple-cn"), 0),
    ("cn_homoglyph", profile(role="[role]\ntype = custom\nfqdn = mail.microsoft.com\n",
                             subject="[subject]\nname = O=Contoso, CN=mail.m\u00efcrosoft.com\n"),
     ("warning", "cn-homoglyph"), 0),
    ("dns_internal_netbios", profile(
        role="[role]\ntype = client-access\nnetbios = OWA1\nfqdn = owa1.contoso.com\n"
             "accepted_domains = contoso.com\n",
        subject="[subject]\nname = C=US, O=Contoso Corp, CN=owa1.contoso.com\n"),
     ("warning", "dns-internal"), 0),
    ("dns_internal_local", profile(extra=with_names("exch01.contoso.local")),
     ("warning", "dns-internal"), 0),
    ("dns_duplicate", profile(extra=with_names("www.contoso.com", "WWW.contoso.com")),
     ("notice", "dns-duplicate"), 0),
    ("country_code_lower_case", profile(subject="[subject]\nname = c=us, o=contoso corp, "
                                        "cn=mail1.contoso.com\n"),
     ("notice", "country-code"), 0),
    # [policy] overrides.
    ("override_multiple_cn_error", profile(
        subject="[subject]\nname = C=US, CN=mail1.contoso.com, CN=mail2.contoso.com\n",
        extra="[policy]\nmultiple-cn = error\n"),
     ("error", "multiple-cn"), 1),
    ("override_dc_with_c_error", profile(
        subject="[subject]\nname = C=US, DC=contoso, DC=com, CN=mail1.contoso.com\n",
        extra="[policy]\ndc-with-c = error\n"),
     ("error", "dc-with-c"), 1),
    ("override_whitespace_error", profile(
        subject='[subject]\nO = "Contoso Corp "\nCN = mail1.contoso.com\n',
        extra="[policy]\nrdn-whitespace = error\n"),
     ("error", "rdn-whitespace"), 1),
    ("override_dns_internal_error", profile(
        extra=with_names("exch01.contoso.local") + "[policy]\ndns-internal = error\n"),
     ("error", "dns-internal"), 1),
    ("override_dns_internal_notice", profile(
        extra=with_names("exch01.contoso.local") + "[policy]\ndns-internal = notice\n"),
     ("notice", "dns-internal"), 0),
]


class PolicyCase(rctest.E2ETestCase):
    """How one policy finding is checked; the tests are in the subclasses."""

    def check_case(self, text, finding, exit_code):
        self.write_profile("p.ini", text)
        result = self.conf("p.ini", "p.cnf")
        self.assertEqual(result.returncode, exit_code, repr(result))
        self.assertIn(finding, result.findings(), repr(result))
        self.check_diagnostic_lines(result)
        if exit_code == 0:
            self.assertTrue(os.path.isfile(self.path("p.cnf")), repr(result))
            self.assertNotIn("error", [sev for sev, _ in result.findings()])
        else:
            self.assertFalse(os.path.exists(self.path("p.cnf")),
                             "output file left behind on exit %d" % result.returncode)
            self.assertEqual(result.stdout, "", "a command printed although refused")
        return result

    def check_diagnostic_lines(self, result):
        """Each finding: `p.ini:LINE: SEV[RULE]: ...` on one line, then a hint."""
        lines = result.stderr.splitlines()
        for i, line in enumerate(lines):
            if rctest.FINDING_RE.search(line) and not line.startswith(" "):
                self.assertRegex(line, r"^p\.ini(:\d+)?: (error|warning|notice)\[[a-z0-9-]+\]: ")
                self.assertTrue(i + 1 < len(lines) and lines[i + 1].startswith("  hint: "),
                                "finding without a hint line: %r" % line)
                self.assertTrue(line.isprintable(), repr(line))


class PolicyRulesTest(PolicyCase):

    # -- what the generator does instead of the rules it prevents ---------

    def test_cn_not_in_san_prevented(self):
        text = profile(role="[role]\ntype = custom\n",
                       subject="[subject]\nname = O=Contoso Corp, CN=mail9.contoso.com\n",
                       extra=with_names("www.contoso.com"))
        self.write_profile("p.ini", text)
        result = self.conf_ok("p.ini", "p.cnf")
        self.assertNotIn("cn-not-in-san", [r for _, r in result.findings()])
        key = self.make_key("k.pem", "ec:P-256")
        self.req_new("p.cnf", key, "p.req")
        san, critical = rctest.san_of(rctest.load_csr(self.path("p.req")))
        self.assertEqual(san, ["mail9.contoso.com", "www.contoso.com"])
        self.assertFalse(critical)

    def test_san_critical_prevented(self):
        """A 67-character FQDN cannot be the CN: empty subject, critical SAN,
        and the printed command must produce exactly that."""
        fqdn = "mail1." + "a" * 49 + ".contoso.com"
        self.assertEqual(len(fqdn), 67)
        text = ("[role]\ntype = edge\nfqdn = %s\naccepted_domains = contoso.com\n"
                "\n[key]\ntype = ec\n" % fqdn)
        self.write_profile("p.ini", text)
        result = self.conf_ok("p.ini", "p.cnf")
        self.assertNotIn("san-critical", [r for _, r in result.findings()])
        self.assertEqual([f for f in result.findings() if f[0] != "notice"], [], repr(result))
        with open(self.path("p.cnf"), encoding="utf-8") as f:
            cnf = f.read().splitlines()
        self.assertEqual(cnf.count("subjectAltName = critical, @req_san"), 2, cnf)
        commands = result.printed_commands()
        self.assertEqual(len(commands), 1, repr(result))
        self.run_tool(rctest.shell_command_argv(commands[0]))
        csr = rctest.load_csr(self.path("p.req"))
        self.assertEqual(list(csr.subject.rdns), [])
        san, critical = rctest.san_of(csr)
        self.assertEqual(san, [fqdn, "contoso.com"])
        self.assertTrue(critical)

    def test_rdn_order_reordered_with_notice(self):
        # CN first would be LDAP order (read last RDN first): this one starts
        # elsewhere, so its written order is the DER order, and it moves.
        text = profile(subject="[subject]\nname = O=Contoso Corp, L=Redmond, "
                               "CN=mail1.contoso.com, ST=Washington, C=US\n")
        self.write_profile("p.ini", text)
        result = self.conf_ok("p.ini", "p.cnf")
        self.assertIn(("notice", "rdn-order"), result.findings(), repr(result))
        self.assertNotIn(("error", "rdn-order"), result.findings())
        key = self.make_key("k.pem", "ec:P-256")
        self.req_new("p.cnf", key, "p.req")
        entries, _ = rctest.name_entries(rctest.load_csr(self.path("p.req")).subject)
        self.assertEqual(entries, rctest.expected_entries(
            [("C", "US"), ("ST", "Washington"), ("L", "Redmond"), ("O", "Contoso Corp"),
             ("CN", "mail1.contoso.com")]))

    def test_plus_inside_a_value_is_literal(self):
        """Quoted or escaped, `+` is a character of the value, not an RDN
        separator: no multi-valued RDN reaches the request."""
        for written in ('O="Contoso+OU=Mail"', "O=Contoso\\+OU\\=Mail"):
            with self.subTest(written=written):
                text = profile(subject="[subject]\nname = C=US, %s, CN=mail1.contoso.com\n"
                               % written)
                self.write_profile("p.ini", text)
                self.conf_ok("p.ini", "p.cnf")
                key = self.make_key("k.pem", "ec:P-256")
                self.req_new("p.cnf", key, "p.req")
                entries, multivalued = rctest.name_entries(
                    rctest.load_csr(self.path("p.req")).subject)
                self.assertFalse(multivalued)
                self.assertEqual(entries, rctest.expected_entries(
                    [("C", "US"), ("O", "Contoso+OU=Mail"), ("CN", "mail1.contoso.com")]))

    # -- effects of warnings and notices on the request -------------------

    def request_of(self, text):
        self.write_profile("p.ini", text)
        result = self.conf_ok("p.ini", "p.cnf")
        key = self.make_key("k.pem", "ec:P-256")
        self.req_new("p.cnf", key, "p.req")
        csr = rctest.load_csr(self.path("p.req"))
        return result, rctest.name_entries(csr.subject)[0], rctest.san_of(csr)[0]

    def test_lower_case_country_upper_cased(self):
        _, subject, _ = self.request_of(profile(
            subject="[subject]\nname = c=us, o=contoso corp, cn=mail1.contoso.com\n"))
        self.assertEqual(subject, rctest.expected_entries(
            [("C", "US"), ("O", "contoso corp"), ("CN", "mail1.contoso.com")]))

    def test_whitespace_kept_exactly(self):
        _, subject, _ = self.request_of(profile(
            subject='[subject]\nC = US\nO = " Contoso Corp  "\nCN = mail1.contoso.com\n'))
        self.assertEqual(subject, rctest.expected_entries(
            [("C", "US"), ("O", " Contoso Corp  "), ("CN", "mail1.contoso.com")]))

    def test_duplicate_written_once_lower_case(self):
        _, _, san = self.request_of(profile(extra=with_names("MAIL1.contoso.com",
                                                             "Www.Contoso.com")))
        self.assertEqual(san, ["mail1.contoso.com", "contoso.com", "www.contoso.com"])

    def test_multiple_cn_both_in_san(self):
        _, subject, san = self.request_of(profile(
            subject="[subject]\nname = C=US, CN=mail1.contoso.com, CN=mail2.contoso.com\n"))
        self.assertEqual(subject, rctest.expected_entries(
            [("C", "US"), ("CN", "mail1.contoso.com"), ("CN", "mail2.contoso.com")]))
        # The CN goes first when the role's list does not already hold it
        # (generated-config.md); mail1 is the fqdn, mail2 is not.
        self.assertEqual(san, ["mail2.contoso.com", "mail1.contoso.com", "contoso.com"])

    def test_dns_internal_off_silences_netbios(self):
        text = ("[role]\ntype = client-access\nnetbios = OWA1\nfqdn = owa1.contoso.com\n"
                "accepted_domains = contoso.com\n\n"
                "[subject]\nname = C=US, O=Contoso Corp, CN=owa1.contoso.com\n\n"
                "[policy]\ndns-internal = off\n")
        result, _, san = self.request_of(text)
        self.assertEqual(result.findings(), [], repr(result))
        self.assertNotIn("dns-internal", result.stderr)
        self.assertEqual(san, ["owa1", "contoso.com", "owa1.contoso.com",
                               "autodiscover.contoso.com"])

    def test_boundaries_accepted(self):
        """Exactly the maximum sizes, counted in characters, pass."""
        text = profile(subject=(
            "[subject]\nST = %s\nL = %s\nO = %s\nOU = %s\nCN = mail1.contoso.com\n"
            % ("s" * 128, "\u00e9" * 64 + "l" * 64, "\u00f3" * 64, "\u4e2d" * 64)))
        result, subject, _ = self.request_of(text)
        self.assertEqual(result.findings(), [], repr(result))
        self.assertEqual(subject, rctest.expected_entries(
            [("ST", "s" * 128), ("L", "\u00e9" * 64 + "l" * 64), ("O", "\u00f3" * 64),
             ("OU", "\u4e2d" * 64), ("CN", "mail1.contoso.com")]))

    def test_dc_total_255_accepted(self):
        dcs = ["d" * 60] * 4 + ["d" * 15]
        text = profile(subject="[subject]\n" + "".join("DC = %s\n" % d for d in dcs)
                       + "CN = mail1.contoso.com\n")
        result, subject, _ = self.request_of(text)
        # A domain in DNS order, encoded top-level label first (RFC 2247).
        self.assertEqual(subject, rctest.expected_entries(
            [("DC", d) for d in reversed(dcs)] + [("CN", "mail1.contoso.com")]))

    def test_idn_hint_gives_a_label(self):
        self.write_profile("p.ini", profile(extra=with_names("mail.m\u00fcller.de")))
        result = self.conf("p.ini", "p.cnf")
        self.assert_refused(result, "p.cnf", "dns-idn")
        self.assertIn("mail.xn--mller-kva.de", result.stderr)

    def test_homoglyph_hint_names_code_point(self):
        self.write_profile("p.ini", profile(
            role="[role]\ntype = custom\nfqdn = mail.microsoft.com\n",
            subject="[subject]\nname = O=Contoso, CN=mail.m\u00efcrosoft.com\n"))
        result = self.conf("p.ini", "p.cnf")
        self.assertEqual(result.returncode, 0, repr(result))
        self.assertRegex(result.stderr, r"(?i)U\+00EF")

    def test_refusal_keeps_existing_output(self):
        with open(self.path("p.cnf"), "w") as f:
            f.write("# an earlier good config\n")
        self.write_profile("p.ini", profile(extra=with_names("*.com")))
        result = self.conf("p.ini", "p.cnf")
        self.assertEqual(result.returncode, 1, repr(result))
        with open(self.path("p.cnf")) as f:
            self.assertEqual(f.read(), "# an earlier good config\n")
        self.assertEqual(sorted(os.listdir(self.dir)), ["home-sentinel", "p.cnf", "p.ini"])


class DuplicateAcrossSourcesTest(PolicyCase):
    """The same name from two sources (the fqdn, and dns= in another case)
    is "the same name twice": dns-duplicate, as when dns= repeats itself.
    Registered on its own in CTest so that it names this one behaviour."""

    def test_fqdn_repeated_in_names(self):
        self.check_case(profile(extra=with_names("MAIL1.contoso.com")),
                        ("notice", "dns-duplicate"), 0)

    def test_accepted_domain_repeated_in_names(self):
        self.check_case(profile(extra=with_names("contoso.com")),
                        ("notice", "dns-duplicate"), 0)


# Errors of the profile itself: exit 2, no rule id, file and line given.
# (test name, profile text, line number the error must name or None)
PROFILE_ERROR_CASES = [
    ("unknown_section", profile(extra="[sever]\nx = 1\n"), 9),
    ("unknown_key", profile(subject="[subject]\ncm = mail1.contoso.com\n"), 7),
    ("duplicate_single_key", BASE_ROLE + "fqdn = mail2.contoso.com\n", 5),
    ("unbalanced_quote", profile(subject='[subject]\nO = "Contoso ; Corp\n'), 7),
    # Comments go on their own line: a value spoiled by one is an error.
    ("comment_after_number", profile(extra="[key]\nbits = 2048 ; strong\n"), 10),
    ("comment_after_quoted_value", profile(subject='[subject]\nO = "Contoso" ; HQ\n'), 7),
    ("comment_after_subject",
     profile(subject="[subject]\nname = C=US, CN=mail1.contoso.com ; the Edge server\n"), 7),
    ("policy_rule_not_configurable", profile(extra="[policy]\ndns-syntax = off\n"), 10),
    ("policy_rule_unknown", profile(extra="[policy]\nno-such-rule = off\n"), 10),
    ("policy_bad_severity", profile(extra="[policy]\nmultiple-cn = fatal\n"), 10),
    ("key_bad_type", profile(extra="[key]\ntype = dsa\n"), 10),
    ("output_bad_digest", profile(extra="[output]\ndigest = md5\n"), 10),
    ("role_type_missing", "[role]\nfqdn = mail1.contoso.com\n", None),
    # Invalid UTF-8, NUL and control characters are refused by the profile
    # reader, before the policy sees a value (generated-config.md: "the
    # profile reader refuses them"), so rdn-encoding never comes from a profile.
    ("value_control_escape", profile(subject='[subject]\nO = "Contoso\\u{7}Corp"\n'), 7),
    ("value_escape_char_escape", profile(subject='[subject]\nO = "Contoso\\u{1B}[31m"\n'), 7),
    ("value_nul_escape", profile(subject='[subject]\nO = "Contoso\\u{0}Corp"\n'), 7),
    ("value_surrogate_escape", profile(subject='[subject]\nO = "Contoso\\u{D800}"\n'), 7),
    ("value_c1_control_escape", profile(subject='[subject]\nO = "Contoso\\u{85}"\n'), 7),
    ("value_invalid_utf8", profile(subject="[subject]\nO = Contoso \udcff Corp\n"), 7),
    ("value_overlong_utf8", profile(subject="[subject]\nO = Contoso \udcc0\udcaf\n"), 7),
    ("value_raw_escape_char", profile(subject='[subject]\nO = "Contoso\x1b[31m"\n'), 7),
    ("value_raw_tab_in_quotes", profile(subject='[subject]\nO = "Contoso\tCorp"\n'), 7),
    ("value_raw_del", profile(subject='[subject]\nO = "Contoso\x7fCorp"\n'), 7),
    ("value_raw_c1_control", profile(subject='[subject]\nO = "Contoso\x85Corp"\n'), 7),
    ("value_raw_cr", profile(subject='[subject]\nO = "Contoso\rCorp"\n'), 7),
    ("dns_value_control", profile(extra='[names]\ndns = "mail\\u{7}.contoso.com"\n'), 10),
]


class ProfileErrorsTest(rctest.E2ETestCase):

    def check_case(self, text, line):
        self.write_profile("p.ini", text)
        result = self.conf("p.ini", "p.cnf")
        self.assertEqual(result.returncode, 2, repr(result))
        self.assertEqual(result.findings(), [], "a profile error carries no rule id")
        # A missing key has no line to point at: `p.ini: error: ...`.
        prefix = r"p\.ini:%d: error: " % line if line is not None else r"p\.ini: error: "
        self.assertRegex(result.stderr, r"(?m)^" + prefix, repr(result))
        self.assertFalse(os.path.exists(self.path("p.cnf")))

    def test_unreadable_profile(self):
        result = self.conf("missing.ini", "p.cnf")
        self.assertEqual(result.returncode, 2, repr(result))
        self.assertFalse(os.path.exists(self.path("p.cnf")))


def _add_cases():
    for name, text, finding, exit_code in POLICY_CASES:
        def test(self, text=text, finding=finding, exit_code=exit_code):
            self.check_case(text, finding, exit_code)
        setattr(PolicyRulesTest, "test_rule_" + name, test)
    for name, text, line in PROFILE_ERROR_CASES:
        def test(self, text=text, line=line):
            self.check_case(text, line)
        setattr(ProfileErrorsTest, "test_" + name, test)


_add_cases()

if __name__ == "__main__":
    rctest.main()
