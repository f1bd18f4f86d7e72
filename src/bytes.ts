/**
 * A DataView over the last byte array asked for, made anew only when another array comes. The hot
 * paths (hashing ids, hashing key fields) read many words out of one chunk, and V8 compiles a
 * DataView's getInt32 to one unaligned load where four byte loads and shifts would be needed.
 * (It keeps that array reachable until another comes.)
 */
export class LastDataView {
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private of: Uint8Array | undefined;

  over(bytes: Uint8Array): DataView<ArrayBufferLike> {
    if (bytes !== this.of) {
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.of = bytes;
    }
    return this.view;
  }
}
