import RoundsCore
import SharedTypes
import SwiftUI

/// The job's customer: how to reach them (a tap calls a number or opens the address in
/// Maps), their instruments with warranty and maintenance, and their last visits.
struct CustomerSections: View {
    @Environment(Core.self) private var core
    @Environment(\.openURL) private var openURL
    let customer: CustomerSummary

    var body: some View {
        let labels = core.view.labels.technician
        Section {
            ForEach(customer.phones, id: \.dial) { phone in
                Button {
                    if let url = URL(string: phone.dial) {
                        openURL(url)
                    }
                } label: {
                    Label(phone.shown, systemImage: "phone")
                }
            }
            if let map = Places.map(customer.address) {
                Button {
                    openURL(map)
                } label: {
                    Label(customer.address, systemImage: "map")
                }
            }
        } header: {
            HStack {
                Text(verbatim: customer.name)
                Text(verbatim: customer.number)
                    .monospaced()
                Spacer()
                Text(verbatim: "\(customer.tierWord.text) · \(customer.kindWord.text)")
            }
        }
        Section {
            ForEach(Array(customer.assets.enumerated()), id: \.offset) { _, asset in
                VStack(alignment: .leading, spacing: 2) {
                    HStack {
                        Text(verbatim: asset.product)
                            .bold()
                        Text(verbatim: asset.serialNumber)
                            .font(.caption.monospaced())
                            .foregroundStyle(.secondary)
                    }
                    Text(verbatim: "\(labels.warranty.text): \(asset.warranty.text)")
                        .font(.subheadline)
                        .foregroundStyle(asset.underWarranty ? .green : .secondary)
                    if let due = asset.maintenanceDue {
                        Text(verbatim: "\(labels.maintenanceDue.text) \(due)")
                            .font(.subheadline)
                    }
                }
            }
        } header: {
            Text(labels.assets)
        }
        if let value = customer.value {
            Section {
                VStack(alignment: .leading, spacing: 2) {
                    Text(verbatim: [value.lifecycleWord.text, value.churnWord.text, value.rfmText]
                        .filter { !$0.isEmpty }
                        .joined(separator: " · "))
                        .bold()
                    Text(value.summary)
                        .font(.caption)
                        .foregroundStyle(.secondary)
                }
                ForEach(Array(value.purchases.enumerated()), id: \.offset) { _, purchase in
                    Text(verbatim: "\(purchase.date) · \(purchase.what) · \(purchase.amount)")
                        .font(.subheadline)
                }
            } header: {
                Text(labels.purchases)
            }
        }
        Section {
            ForEach(Array(customer.lastVisits.enumerated()), id: \.offset) { _, visit in
                VStack(alignment: .leading, spacing: 2) {
                    HStack {
                        Text(verbatim: visit.date)
                        Text(visit.serviceWord)
                        Text(visit.statusWord)
                            .foregroundStyle(.secondary)
                        if let score = visit.satisfaction {
                            Text(verbatim: "★\(score)")
                        }
                    }
                    .font(.subheadline)
                    if !visit.notes.isEmpty {
                        Text(verbatim: visit.notes)
                            .font(.caption)
                            .foregroundStyle(.secondary)
                    }
                }
            }
        } header: {
            Text(labels.lastVisits)
        }
    }
}
