//! The generated network merging five sorted columns into the median of a 5x5 window.

use super::lanes::{Chunk, load, max, min};

/// The median of each 5x5 window of a row chunk, from its 5 sorted columns: `sorted[r]`
/// holds rank `r` of every column, `base` is the chunk's start and `step` the distance
/// between pixels (the channel count).
///
/// Generated offline with the construction of `network.rs` (Batcher's odd-even merges
/// of the sorted columns, compare-exchanges of values already known to be ordered left
/// out, then only what rank 12 of 25 depends on kept), merging as the tree
/// ((0 1) (2 (3 4))), the shape needing the fewest operations (124). Checked on every
/// 0-1 input by `tests::the_5x5_network_finds_every_median` (the 0-1 principle) and
/// against a plain sort by the filter tests.
#[inline(always)]
pub(super) fn median_of_sorted_5x5(sorted: &[Vec<u8>; 5], base: usize, step: usize) -> Chunk {
    // cJR: rank R of the column J pixels right of the window's left edge.
    let at = |j: usize, r: usize| load(&sorted[r], base + j * step);
    let c00 = at(0, 0);
    let c01 = at(0, 1);
    let c02 = at(0, 2);
    let c03 = at(0, 3);
    let c04 = at(0, 4);
    let c10 = at(1, 0);
    let c11 = at(1, 1);
    let c12 = at(1, 2);
    let c13 = at(1, 3);
    let c14 = at(1, 4);
    let c20 = at(2, 0);
    let c21 = at(2, 1);
    let c22 = at(2, 2);
    let c23 = at(2, 3);
    let c24 = at(2, 4);
    let c30 = at(3, 0);
    let c31 = at(3, 1);
    let c32 = at(3, 2);
    let c33 = at(3, 3);
    let c34 = at(3, 4);
    let c40 = at(4, 0);
    let c41 = at(4, 1);
    let c42 = at(4, 2);
    let c43 = at(4, 3);
    let c44 = at(4, 4);
    let v25 = min(c00, c10);
    let v26 = max(c00, c10);
    let v27 = min(c04, c14);
    let v28 = max(c04, c14);
    let v29 = min(v27, v26);
    let v30 = max(v27, v26);
    let v31 = min(c02, c12);
    let v32 = max(c02, c12);
    let v33 = min(v31, v29);
    let v34 = max(v31, v29);
    let v35 = min(v32, v30);
    let v36 = max(v32, v30);
    let v37 = min(c01, c11);
    let v38 = max(c01, c11);
    let v39 = min(c03, c13);
    let v40 = max(c03, c13);
    let v41 = min(v39, v38);
    let v42 = max(v39, v38);
    let v43 = min(v37, v33);
    let v44 = max(v37, v33);
    let v45 = min(v41, v34);
    let v46 = max(v41, v34);
    let v47 = min(v42, v35);
    let v48 = max(v42, v35);
    let v49 = min(v40, v36);
    let v50 = max(v40, v36);
    let v51 = min(c30, c40);
    let v52 = max(c30, c40);
    let v53 = min(c34, c44);
    let v54 = max(c34, c44);
    let v55 = min(v53, v52);
    let v56 = max(v53, v52);
    let v57 = min(c32, c42);
    let v58 = max(c32, c42);
    let v59 = min(v57, v55);
    let v60 = max(v57, v55);
    let v61 = min(v58, v56);
    let v62 = max(v58, v56);
    let v63 = min(c31, c41);
    let v64 = max(c31, c41);
    let v65 = min(c33, c43);
    let v66 = max(c33, c43);
    let v67 = min(v65, v64);
    let v68 = max(v65, v64);
    let v69 = min(v63, v59);
    let v70 = max(v63, v59);
    let v71 = min(v67, v60);
    let v72 = max(v67, v60);
    let v73 = min(v68, v61);
    let v74 = max(v68, v61);
    let v75 = min(v66, v62);
    let v76 = max(v66, v62);
    let v77 = min(c20, v51);
    let v78 = max(c20, v51);
    let v79 = min(v76, v78);
    let v80 = max(v76, v78);
    let v81 = min(c24, v72);
    let v82 = max(c24, v72);
    let v83 = min(v81, v79);
    let v84 = max(v81, v79);
    let v85 = min(v82, v80);
    let v86 = max(v82, v80);
    let v87 = min(c22, v70);
    let v88 = max(c22, v70);
    let v89 = min(v74, v88);
    let v90 = max(v74, v88);
    let v91 = min(v87, v83);
    let v92 = max(v87, v83);
    let v93 = min(v89, v84);
    let v94 = max(v89, v84);
    let v95 = min(v90, v85);
    let v96 = max(v90, v85);
    let v97 = min(c21, v69);
    let v98 = max(c21, v69);
    let v99 = min(v54, v98);
    let v100 = max(v54, v98);
    let v101 = min(v73, v99);
    let v102 = max(v73, v99);
    let v103 = min(c23, v71);
    let v104 = max(c23, v71);
    let v105 = min(v75, v104);
    let v106 = max(v75, v104);
    let v107 = min(v103, v101);
    let v108 = max(v103, v101);
    let v109 = min(v105, v102);
    let v110 = max(v105, v102);
    let v111 = min(v106, v100);
    let v112 = max(v106, v100);
    let v113 = min(v97, v91);
    let v114 = max(v97, v91);
    let v115 = min(v107, v92);
    let v116 = max(v107, v92);
    let v117 = min(v108, v93);
    let v118 = max(v108, v93);
    let v119 = min(v109, v94);
    let v120 = max(v109, v94);
    let v121 = min(v110, v95);
    let v122 = max(v110, v95);
    let v123 = min(v111, v96);
    let v124 = max(v111, v96);
    let v125 = min(v112, v86);
    let v128 = max(v25, v77);
    let v129 = min(v50, v120);
    let v132 = max(v129, v128);
    let v134 = max(v46, v116);
    let v135 = min(v124, v134);
    let v139 = min(v135, v132);
    let v144 = max(v44, v114);
    let v145 = min(v122, v144);
    let v147 = min(v48, v118);
    let v152 = max(v147, v145);
    let v160 = max(v152, v139);
    let v168 = max(v43, v113);
    let v169 = min(v28, v121);
    let v172 = max(v169, v168);
    let v174 = max(v47, v117);
    let v175 = min(v125, v174);
    let v179 = min(v175, v172);
    let v184 = max(v45, v115);
    let v185 = min(v123, v184);
    let v187 = min(v49, v119);
    let v190 = max(v187, v185);
    let v197 = min(v190, v179);
    max(v197, v160)
}
