import Foundation
import SluitsteenHashing
import Testing

@Suite struct DigestTests {
    @Test func knownVectors() {
        #expect(Digest.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hex(Data(), .sha224) == "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")
        #expect(Digest.hex(Data("abc".utf8), .sha512).hasPrefix("ddaf35a193617aba"))
        #expect(Digest.hex(Data("abc".utf8), .sha384).hasPrefix("cb00753f45a35e8b"))
    }

    @Test func spellings() {
        #expect(HashAlgorithm(spelling: "SHA256") == .sha256)
        #expect(HashAlgorithm(spelling: "sha-512") == .sha512)
        #expect(HashAlgorithm(spelling: "SHA_224") == .sha224)
        #expect(HashAlgorithm(spelling: "MD5") == nil)
    }

    @Test func streamingEqualsOneShot() {
        let data = Data((0..<100_000).map { UInt8($0 % 251) })
        var hasher = StreamingHasher()
        hasher.update(data.prefix(333))
        hasher.update(data.dropFirst(333))
        #expect(hasher.finalizeHex() == Digest.hex(data))
    }
}
