package build

import "golang.org/x/sys/unix"

// mountRoot reports whether dir is the root of a mount, bind mounts
// included, as the kernel says (statx, Linux 5.8 on); known is false when
// it cannot say.
func mountRoot(dir string) (root, known bool) {
	var st unix.Statx_t
	if err := unix.Statx(unix.AT_FDCWD, dir, unix.AT_SYMLINK_NOFOLLOW, unix.STATX_BASIC_STATS, &st); err != nil {
		return false, false
	}
	if st.Attributes_mask&unix.STATX_ATTR_MOUNT_ROOT == 0 {
		return false, false
	}
	return st.Attributes&unix.STATX_ATTR_MOUNT_ROOT != 0, true
}
