// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// The Sluitsteen pakbon 1.0 schema, compiled into the binary: a standalone `sluitsteen verify` (and an export) needs
/// no source folder for it. `Schemas/sluitsteen-pakbon-1.0.xsd` holds the same text byte for byte (a test compares
/// them); a file given explicitly (`--pakbon-schema`) is used instead.
public enum PakbonSchema {
    /// The schema's file name.
    public static let fileName = "sluitsteen-pakbon-1.0.xsd"
    /// The pakbon namespace.
    public static let namespace = "https://sluitsteen.eu/ns/pakbon/1.0"

    /// The built-in schema, compiled.
    public static func builtIn() throws(XMLError) -> XMLSchema {
        try XMLSchema(data: Data(text.utf8), source: "\(fileName) (ingebouwd)")
    }

    /// The XSD text (the file's bytes: the literal's last line break is the file's final one).
    public static let text = #"""
<?xml version="1.0" encoding="UTF-8"?>
<!-- SPDX-License-Identifier: EUPL-1.2 -->
<!-- Sluitsteen pakbon 1.0: the packing slip at the top of a Sluitsteen MDTO transfer package (pakbon.xml).
     See Schemas/README.md for the meaning of every element and the exact definition of pakketHash. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns="https://sluitsteen.eu/ns/pakbon/1.0"
           targetNamespace="https://sluitsteen.eu/ns/pakbon/1.0"
           elementFormDefault="qualified" attributeFormDefault="unqualified" version="1.0">

  <xs:element name="pakbon" type="pakbonType"/>

  <xs:complexType name="pakbonType">
    <xs:sequence>
      <xs:element name="identificatie" type="nietLeeg"/>
      <xs:element name="titel" type="nietLeeg"/>
      <xs:element name="doel" type="identificatieType"/>
      <xs:element name="pakketHash" type="pakketHashType"/>
      <xs:element name="aangemaaktOp" type="xs:dateTime"/>
      <xs:element name="archiefvormer" type="archiefvormerType"/>
      <xs:element name="contact" type="contactType"/>
      <xs:element name="aantalInformatieobjecten" type="xs:nonNegativeInteger"/>
      <xs:element name="aantalBestanden" type="xs:nonNegativeInteger"/>
      <xs:element name="aantalBestandenInhoud" type="xs:nonNegativeInteger"/>
      <xs:element name="totaleOmvang" type="xs:nonNegativeInteger"/>
      <xs:element name="opmerkingen" type="nietLeeg" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>

  <!-- A string with at least one non-whitespace character. -->
  <xs:simpleType name="nietLeeg">
    <xs:restriction base="xs:string">
      <xs:pattern value="[\s\S]*\S[\s\S]*"/>
    </xs:restriction>
  </xs:simpleType>

  <!-- An identifier and where it comes from, as MDTO's identificatieGegevens. -->
  <xs:complexType name="identificatieType">
    <xs:sequence>
      <xs:element name="identificatieKenmerk" type="nietLeeg"/>
      <xs:element name="identificatieBron" type="nietLeeg"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="pakketHashType">
    <xs:simpleContent>
      <xs:extension base="hex256">
        <xs:attribute name="algoritme" use="required">
          <xs:simpleType>
            <xs:restriction base="xs:string">
              <xs:enumeration value="SHA-256"/>
            </xs:restriction>
          </xs:simpleType>
        </xs:attribute>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>

  <xs:simpleType name="hex256">
    <xs:restriction base="xs:string">
      <xs:pattern value="[0-9a-f]{64}"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:complexType name="archiefvormerType">
    <xs:sequence>
      <xs:element name="naam" type="nietLeeg"/>
      <xs:element name="identificatie" type="identificatieType" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="contactType">
    <xs:sequence>
      <xs:element name="naam" type="nietLeeg"/>
      <xs:element name="email" type="nietLeeg" minOccurs="0"/>
      <xs:element name="telefoon" type="nietLeeg" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
</xs:schema>

"""#
}
