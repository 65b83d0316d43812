// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation

extension MailAddress {
    /// True when `list` holds two or more bare words and nothing else: no display name and no `@` (GMime reads the
    /// Outlook name `Jansen, Kees` as the local addresses "Jansen" and "Kees"). One bare word (`To: noone`) stays
    /// the local address GMime reads.
    static func onlyBareWords(_ list: [MailAddress]) -> Bool {
        list.count >= 2 && list.allSatisfy { $0.name == nil && !$0.address.contains("@") }
    }

    /// The mailboxes of a GMime address list, group members included (groups nested at most eight deep).
    static func list(_ list: UnsafeMutablePointer<InternetAddressList>?) -> [MailAddress] {
        guard let list else { return [] }
        var out: [MailAddress] = []
        collect(list, into: &out, depth: 0)
        return out
    }

    private static func collect(_ list: UnsafeMutablePointer<InternetAddressList>, into out: inout [MailAddress], depth: Int) {
        guard depth < 8 else { return }
        for i in 0..<internet_address_list_length(list) {
            guard let ia = internet_address_list_get_address(list, i) else { continue }
            if sls_is_mailbox(ia) != 0, let mb = sls_as_mailbox(ia) {
                let addr = internet_address_mailbox_get_addr(mb).map { String(cString: $0) } ?? ""
                let name = internet_address_get_name(ia).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
                if !addr.isEmpty || name != nil { out.append(MailAddress(name: name, address: addr)) }
            } else if sls_is_group(ia) != 0, let group = sls_as_group(ia), let members = internet_address_group_get_members(group) {
                collect(members, into: &out, depth: depth + 1)
            }
        }
    }
}
