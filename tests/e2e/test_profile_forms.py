# SPDX-License-Identifier: Apache-2.0
"""The subject an administrator writes is the subject the request gets
(profile-format.md, "Values"): the seed's four -SubjectName examples, an
Active Directory DN pasted in LDAP order, semicolons between RDNs, Windows
quoting, and values longer than inih's line buffer; each through `rolecert
conf` and stock `openssl req -new`, read back in DER order by
python3-cryptography, GnuTLS certtool and `openssl -nameopt RFC2253`.

Expected subjects are written here from the spec, never taken from a tool.
"""

import rctest
from rctest import OPENSSL

ROLE = ("[role]\ntype = edge\nfqdn = mail1.contoso.com\n"
        "accepted_domains = contoso.com\n\n")
LONG_L = "\u00d1" * 128  # 128 characters, 256 bytes of UTF-8

# (test name, name = value, subject in DER order, notice rdn-order expected)
CASES = [
    ("seed_o_cn", "O=contoso corp, CN=mail1.contoso.com",
     [("O", "contoso corp"), ("CN", "mail1.contoso.com")], False),
    ("seed_dc_cn", "DC=contoso, DC=com, CN=mail1.contoso.com",
     [("DC", "com"), ("DC", "contoso"), ("CN", "mail1.contoso.com")], False),
    ("seed_dc_o_cn", "DC= contoso, DC=com, O=contoso corp, CN=mail1.contoso.com",
     [("DC", "com"), ("DC", "contoso"), ("O", "contoso corp"), ("CN", "mail1.contoso.com")],
     False),
    ("seed_c_o_cn", "C=US, O=contoso corp, CN=mail1.contoso.com",
     [("C", "US"), ("O", "contoso corp"), ("CN", "mail1.contoso.com")], False),
    ("ad_pasted_ldap_order", "CN=mail1.contoso.com,OU=Mail,OU=Servers,DC=contoso,DC=com",
     [("DC", "com"), ("DC", "contoso"), ("OU", "Servers"), ("OU", "Mail"),
      ("CN", "mail1.contoso.com")], False),
    ("ous_nest_as_written", "DC=contoso, DC=com, OU=Servers, OU=Mail, CN=mail1.contoso.com",
     [("DC", "com"), ("DC", "contoso"), ("OU", "Servers"), ("OU", "Mail"),
      ("CN", "mail1.contoso.com")], False),
    ("semicolons", "C=US ; O=Contoso Corp ; OU=Messaging ; CN=mail.contoso.com",
     [("C", "US"), ("O", "Contoso Corp"), ("OU", "Messaging"), ("CN", "mail.contoso.com")],
     False),
    ("windows_quotes", 'C=US, O="Contoso ""Best"" Corp", CN=mail1.contoso.com',
     [("C", "US"), ("O", 'Contoso "Best" Corp'), ("CN", "mail1.contoso.com")], False),
    ("long_values", "C=ES, L=%s, O=Diversi\u00f3n de Bicicleta, OU=Mensajer\u00eda, "
     "OU=Servidores de Correo, OU=Centro de Datos, CN=mail1.contoso.com" % LONG_L,
     [("C", "ES"), ("L", LONG_L), ("O", "Diversi\u00f3n de Bicicleta"),
      ("OU", "Mensajer\u00eda"), ("OU", "Servidores de Correo"), ("OU", "Centro de Datos"),
      ("CN", "mail1.contoso.com")], False),
    ("reordered_with_notice", "O=Contoso Corp, DC=contoso, DC=com, CN=mail1.contoso.com",
     [("DC", "com"), ("DC", "contoso"), ("O", "Contoso Corp"), ("CN", "mail1.contoso.com")],
     True),
]


def rfc2253(subject):
    """What `-nameopt RFC2253,-esc_msb` prints for these values."""
    def esc(v):
        return "".join("\\" + c if c in ',+"\\<>;' else c for c in v)
    return ",".join("%s=%s" % (a, esc(v)) for a, v in reversed(subject))


class ProfileFormsTest(rctest.E2ETestCase):

    def check(self, name_value, subject, notice):
        self.write_profile("p.ini", ROLE + "[subject]\nname = %s\n\n[key]\ntype = ec\n"
                           % name_value)
        result = self.conf_ok("p.ini", "p.cnf")
        self.assertEqual(("notice", "rdn-order") in result.findings(), notice, repr(result))
        if notice:
            self.assertIn(rfc2253(subject), result.stderr)
        key = self.make_key("k.pem", "ec:P-256")
        self.req_new("p.cnf", key, "p.req")
        entries, multivalued = rctest.name_entries(rctest.load_csr(self.path("p.req")).subject)
        self.assertFalse(multivalued)
        self.assertEqual(entries, rctest.expected_entries(subject))
        printed = self.run_tool([OPENSSL, "req", "-in", self.path("p.req"), "-noout",
                                 "-subject", "-nameopt", "RFC2253,-esc_msb"])
        self.assertEqual(printed.stdout, "subject=%s\n" % rfc2253(subject))
        certtool_subject, _, _ = rctest.certtool_info(self, self.path("p.req"), "csr")
        self.assertEqual(certtool_subject, subject)
        return printed.stdout

    def test_ad_dn_prints_back_as_pasted(self):
        dn = "CN=mail1.contoso.com,OU=Mail,OU=Servers,DC=contoso,DC=com"
        printed = self.check(dn, [("DC", "com"), ("DC", "contoso"), ("OU", "Servers"),
                                  ("OU", "Mail"), ("CN", "mail1.contoso.com")], False)
        self.assertEqual(printed, "subject=%s\n" % dn)

    def test_seed_typo_is_an_error_with_a_hint(self):
        self.write_profile("p.ini", ROLE + "[subject]\nname = C=US o=contoso corp, "
                           "CN=mail1.contoso.com\n")
        result = self.conf("p.ini", "p.cnf")
        self.assertEqual(result.returncode, 2, repr(result))
        self.assertIn("a comma missing before 'o='", result.stderr)


def _add_cases():
    for name, value, subject, notice in CASES:
        def test(self, value=value, subject=subject, notice=notice):
            self.check(value, subject, notice)
        setattr(ProfileFormsTest, "test_" + name, test)


_add_cases()

if __name__ == "__main__":
    rctest.main()
