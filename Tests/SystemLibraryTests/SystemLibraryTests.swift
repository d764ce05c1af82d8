import CNCursesW
import CPNG
import Testing

@Suite("System libraries link and their shims expose the right constants")
struct SystemLibraryTests {
    @Test("libpng is version 1.6")
    func libpng() {
        let version = png_access_version_number()
        #expect(version >= 10600 && version < 10700)
    }

    @Test("curses attribute shims equal ncurses's documented bit layout")
    func cursesAttributes() {
        // ncurses: NCURSES_ATTR_SHIFT = 8; A_UNDERLINE = bit 17, A_REVERSE = 18, A_DIM = 20, A_BOLD = 21, A_ITALIC = 31.
        #expect(gw_attr_normal() == 0)
        #expect(gw_attr_underline() == 1 << 17)
        #expect(gw_attr_reverse() == 1 << 18)
        #expect(gw_attr_dim() == 1 << 20)
        #expect(gw_attr_bold() == 1 << 21)
        #expect(gw_attr_italic() == 1 << 31)
        #expect(gw_key_f(1) == KEY_F0 + 1)
        #expect(gw_color_pair(3) == 3 << 8)
    }
}
