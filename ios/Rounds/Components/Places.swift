import Foundation
import SharedTypes

/// The links that hand a phone number to the phone and an address to Maps.
enum Places {
    /// `tel:` for a number shown as typed (a lead's phone; customers' numbers come with the
    /// core's own `tel:` link).
    static func dial(_ number: String) -> URL? {
        let dialled = String(number.filter { ($0.isASCII && $0.isNumber) || $0 == "+" })
        return dialled.isEmpty ? nil : URL(string: "tel:\(dialled)")
    }

    /// Maps searching for the address as written. The address, not the coordinates, when there
    /// is one: ours are WGS84, and Maps in mainland China draws GCJ-02, half a kilometre off.
    static func map(_ address: String, at position: LatLng? = nil) -> URL? {
        if !address.isEmpty {
            let query = address.addingPercentEncoding(withAllowedCharacters: queryValue) ?? ""
            return URL(string: "maps://?q=\(query)")
        }
        guard let position else {
            return nil
        }
        return URL(string: "maps://?ll=\(position.lat),\(position.lng)")
    }

    // A query value may not hold the characters that end one.
    private static let queryValue = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#?"))
}
