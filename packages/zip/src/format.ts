// The zip format's numbers (APPNOTE.TXT), in one place for every reader of its records.

export const LOCAL_SIGNATURE = 0x04034b50;
export const CENTRAL_SIGNATURE = 0x02014b50;
export const DESCRIPTOR_SIGNATURE = 0x08074b50;
export const END_SIGNATURE = 0x06054b50;
export const END64_SIGNATURE = 0x06064b50;
export const LOCATOR64_SIGNATURE = 0x07064b50;
/** Fixed sizes: a local header, a central record, an end record, a zip64 end locator. */
export const LOCAL_SIZE = 30;
export const RECORD_SIZE = 46;
export const END_SIZE = 22;
export const LOCATOR_SIZE = 20;
/** A 32-bit field at its largest: the value is in the zip64 extra field. */
export const MAX32 = 0xffffffff;
export const ZIP64_FIELD = 0x0001;
/** General purpose bits: sizes in a descriptor after the data; names in UTF-8. */
export const DESCRIPTOR_FLAG = 0x08;
export const UTF8_FLAG = 0x800;
/** Bit 0: traditional or AES encryption; bit 6: PKWARE strong encryption. */
export const ENCRYPTED_FLAGS = 0x41;
