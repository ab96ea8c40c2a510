package io.vmcluster.nativeio;

import jnr.ffi.Pointer;

/**
 * The libnftables functions vmcluster calls (libnftables.so.1, shipped with the nftables
 * package). Public only because jnr-ffi implements it from another class loader; everything else
 * goes through {@link NftablesContext}.
 */
public interface LibNftables {
    Pointer nft_ctx_new(int flags);

    void nft_ctx_free(Pointer ctx);

    int nft_ctx_buffer_output(Pointer ctx);

    int nft_ctx_buffer_error(Pointer ctx);

    String nft_ctx_get_output_buffer(Pointer ctx);

    String nft_ctx_get_error_buffer(Pointer ctx);

    int nft_run_cmd_from_buffer(Pointer ctx, String buf);
}
