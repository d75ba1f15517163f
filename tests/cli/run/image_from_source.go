// Go's image and image/color, compiled from source: geometry, the image
// types' pixels, sub-images and opacity, and colour model conversions.
// Expected output from `go run`.
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
)

func main() {
	r := image.Rect(10, 20, 0, 5)
	s := image.Rectangle{image.Pt(5, 5), image.Pt(15, 15)}
	fmt.Println(r, r.Dx(), r.Dy(), r.Size(), r.Empty(), r.Canon())
	fmt.Println(r.Intersect(s), r.Union(s), r.Overlaps(s), s.In(r), image.Pt(3, 7).In(r))
	fmt.Println(r.Add(image.Pt(1, 1)), r.Sub(image.Pt(1, 1)), r.Inset(2), image.Pt(7, -3).Mod(r), image.Pt(2, 3).Mul(4).Div(2))
	fmt.Println(image.ZR, image.ZP, image.Rect(1, 1, 1, 5).Empty(), s.Eq(image.Rect(15, 15, 5, 5)))

	m := image.NewRGBA(image.Rect(0, 0, 4, 3))
	m.Set(1, 1, color.RGBA{200, 100, 50, 255})
	m.SetRGBA(2, 2, color.RGBA{1, 2, 3, 4})
	fmt.Println(m.Bounds(), m.Stride, len(m.Pix), m.At(1, 1), m.RGBAAt(2, 2), m.At(9, 9), m.Opaque())
	sub := m.SubImage(image.Rect(1, 1, 3, 3)).(*image.RGBA)
	fmt.Println(sub.Bounds(), sub.At(1, 1), sub.PixOffset(2, 2), sub.Opaque())
	for y := 0; y < 3; y++ {
		for x := 0; x < 4; x++ {
			m.Set(x, y, color.White)
		}
	}
	fmt.Println(m.Opaque(), m.ColorModel() == color.RGBAModel)

	g := image.NewGray(image.Rect(0, 0, 2, 2))
	g.Set(0, 0, color.RGBA{255, 0, 0, 255})
	g.Set(1, 0, color.NRGBA{0, 255, 0, 128})
	fmt.Println(g.At(0, 0), g.At(1, 0), g.GrayAt(1, 1))
	g16 := image.NewGray16(image.Rect(0, 0, 1, 1))
	g16.Set(0, 0, color.RGBA64{0x1234, 0x5678, 0x9abc, 0xffff})
	fmt.Println(g16.At(0, 0))
	n := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	n.Set(0, 0, color.RGBA{100, 50, 25, 128})
	fmt.Println(n.At(0, 0), n.Opaque())

	p := image.NewPaletted(image.Rect(0, 0, 3, 1), color.Palette{color.Black, color.White, color.RGBA{255, 0, 0, 255}})
	p.Set(0, 0, color.RGBA{250, 10, 10, 255})
	p.Set(1, 0, color.Gray{200})
	fmt.Println(p.ColorIndexAt(0, 0), p.ColorIndexAt(1, 0), p.ColorIndexAt(2, 0), p.At(0, 0), p.Opaque())

	y := image.NewYCbCr(image.Rect(0, 0, 4, 4), image.YCbCrSubsampleRatio420)
	fmt.Println(len(y.Y), len(y.Cb), y.YStride, y.CStride, y.SubsampleRatio, y.COffset(3, 3), y.At(0, 0))
	yy, cb, cr := color.RGBToYCbCr(200, 100, 50)
	fmt.Println(yy, cb, cr)
	fmt.Println(color.YCbCrToRGB(yy, cb, cr))
	fmt.Println(color.YCbCrModel.Convert(color.RGBA{10, 20, 30, 255}))
	fmt.Println(color.CMYKModel.Convert(color.RGBA{10, 20, 30, 255}))
	fmt.Println(color.RGBToCMYK(255, 128, 0))
	fmt.Println(color.GrayModel.Convert(color.RGBA{10, 200, 30, 255}), color.Gray16Model.Convert(color.White))
	fmt.Println(color.NRGBAModel.Convert(color.RGBA{100, 50, 25, 128}), color.AlphaModel.Convert(color.Transparent))
	fmt.Println(color.NYCbCrA{color.YCbCr{100, 120, 130}, 200}.RGBA())
	fmt.Println(color.Opaque.RGBA())

	u := image.NewUniform(color.RGBA{1, 2, 3, 255})
	fmt.Println(u.Bounds(), u.At(-100, 100), u.Opaque())
	a := image.NewAlpha(image.Rect(0, 0, 1, 1))
	a.Set(0, 0, color.NRGBA{0, 0, 0, 77})
	fmt.Println(a.At(0, 0), a.Opaque())

	_, name, err := image.Decode(bytes.NewReader([]byte("not an image")))
	fmt.Println(name, err, err == image.ErrFormat)
	_, _, err = image.DecodeConfig(bytes.NewReader(nil))
	fmt.Println(err)
}
